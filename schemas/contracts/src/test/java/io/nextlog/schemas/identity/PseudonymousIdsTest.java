package io.nextlog.schemas.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PseudonymousIdsTest {

    private static final byte[] KEY =
            "a test key that is long enough for hmac".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldAcceptDerivedIds() {
        String id = new Pseudonymizer(KEY).derive("01012345678");
        assertTrue(PseudonymousIds.defaults().isPseudonymous(id), id);
    }

    @Test
    void shouldDeriveTheSameIdForTheSameKeyOnly() {
        String first = new Pseudonymizer(KEY).derive("01012345678");
        String again = new Pseudonymizer(KEY).derive("01012345678");
        byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;
        String other = new Pseudonymizer(otherKey).derive("01012345678");

        assertEquals(first, again);
        assertNotEquals(first, other);
    }

    @Test
    void shouldRefuseRawIdsWithoutRepeatingThem() {
        RawIdentifierException e =
                assertThrows(
                        RawIdentifierException.class,
                        () -> PseudonymousIds.defaults().require("01012345678", "userId"));
        assertFalse(e.getMessage().contains("01012345678"), e.getMessage());
        assertTrue(e.getMessage().contains("length 11"), e.getMessage());
        assertFalse(PseudonymousIds.defaults().isPseudonymous(null));
    }

    @Test
    void shouldFollowAConfiguredPattern() {
        PseudonymousIds ids = new PseudonymousIds("cust-[0-9]{6}");
        assertTrue(ids.isPseudonymous("cust-123456"));
        assertFalse(ids.isPseudonymous("u_" + "0".repeat(32)));
    }

    @Test
    void shouldRefuseShortKeys() {
        assertThrows(IllegalArgumentException.class, () -> new Pseudonymizer(new byte[8]));
    }
}
