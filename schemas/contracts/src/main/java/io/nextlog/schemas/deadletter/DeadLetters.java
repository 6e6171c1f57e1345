package io.nextlog.schemas.deadletter;

import io.nextlog.schemas.event.DeadLetter;
import java.nio.ByteBuffer;
import java.time.Instant;
import javax.annotation.Nullable;

/**
 * Builds {@link DeadLetter} records the same way in every stage, so SREs read one format. A record
 * refused for carrying a raw personal id is redacted: its key and payload are withheld, and only
 * the coordinates say where it was.
 */
public final class DeadLetters {

    /** The bytes are not a valid record (wrong framing, unknown schema, undecodable). */
    public static final String MALFORMED_BYTES = "malformed-bytes";

    /** The user id is not pseudonymous. Always redacted. */
    public static final String RAW_PERSONAL_ID = "raw-personal-id";

    /** The domain (or action) symbol is unknown to this reader. */
    public static final String UNKNOWN_SYMBOL = "unknown-symbol";

    /** A field is missing or out of range. */
    public static final String INVALID_FIELD = "invalid-field";

    /** Feedback arrived after its attribution window closed. */
    public static final String LATE_FEEDBACK = "late-feedback";

    private DeadLetters() {}

    /**
     * A dead letter keeping the original bytes.
     *
     * @param partition source partition, or -1 when unknown
     * @param offset source offset, or -1 when unknown
     */
    public static DeadLetter of(
            String topic,
            int partition,
            long offset,
            String stage,
            String errorType,
            String errorMessage,
            @Nullable byte[] key,
            @Nullable byte[] payload) {
        boolean redact = RAW_PERSONAL_ID.equals(errorType);
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setStage(stage)
                .setErrorType(errorType)
                .setErrorMessage(errorMessage)
                .setKey(redact || key == null ? null : ByteBuffer.wrap(key))
                .setPayload(redact || payload == null ? null : ByteBuffer.wrap(payload))
                .setRedacted(redact)
                .setFailedAt(Instant.now())
                .build();
    }
}
