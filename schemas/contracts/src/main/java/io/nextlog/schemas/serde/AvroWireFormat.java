package io.nextlog.schemas.serde;

/** The Confluent framing: magic byte 0, then the schema id as a 4-byte big-endian int. */
final class AvroWireFormat {

    static final byte MAGIC_BYTE = 0;
    static final int HEADER_BYTES = 5;

    private AvroWireFormat() {}

    static byte[] header(int schemaId) {
        return new byte[] {
            MAGIC_BYTE,
            (byte) (schemaId >>> 24),
            (byte) (schemaId >>> 16),
            (byte) (schemaId >>> 8),
            (byte) schemaId
        };
    }

    static int schemaId(byte[] bytes) {
        return ((bytes[1] & 0xff) << 24)
                | ((bytes[2] & 0xff) << 16)
                | ((bytes[3] & 0xff) << 8)
                | (bytes[4] & 0xff);
    }
}
