package io.nextlog.schemas.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives pseudonymous ids from raw ones with a keyed HMAC-SHA256, for producers that hold raw ids
 * (customer numbers, phone numbers). The same key always gives the same id, so journeys join across
 * sources; without the key the raw id cannot be recovered or re-derived.
 *
 * <p>Ids look like {@code u_} followed by the first 128 bits of the MAC in hex, which is what
 * {@link PseudonymousIds#DEFAULT_PATTERN} accepts. Thread-safe: each call uses its own {@link Mac}.
 */
public final class Pseudonymizer {

    private static final String ALGORITHM = "HmacSHA256";
    private static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec key;

    /**
     * @param key secret key of at least 32 bytes, kept by the operator
     */
    public Pseudonymizer(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "pseudonymization key: expected at least "
                            + MIN_KEY_BYTES
                            + " bytes, found "
                            + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
        newMac(); // fail at construction, not on first use
    }

    /** The pseudonymous id for {@code rawId}. */
    public String derive(String rawId) {
        byte[] mac = newMac().doFinal(rawId.getBytes(StandardCharsets.UTF_8));
        return "u_" + HexFormat.of().formatHex(mac, 0, 16);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("pseudonymization key refused by " + ALGORITHM, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " not available in this JVM", e);
        }
    }
}
