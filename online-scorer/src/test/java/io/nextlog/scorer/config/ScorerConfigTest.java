package io.nextlog.scorer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScorerConfigTest {

    @Test
    void shouldParseTypedValuesAndKeepDefaults() {
        ScorerConfig config =
                ScorerConfig.of(
                        Map.of(
                                "scorer.batch.max-size", "32",
                                "scorer.batch.max-wait", "PT0.005S",
                                "scorer.reasons.sensitive-domains", "LOCATION_VISIT, CALL",
                                "other.key", "ignored"));

        assertEquals(32, config.get(ScorerOptions.BATCH_MAX_SIZE));
        assertEquals(Duration.ofMillis(5), config.get(ScorerOptions.BATCH_MAX_WAIT));
        assertEquals(
                List.of("LOCATION_VISIT", "CALL"), config.get(ScorerOptions.SENSITIVE_DOMAINS));
        assertEquals("127.0.0.1", config.get(ScorerOptions.HTTP_HOST));
        assertEquals(32, config.with(Map.of()).get(ScorerOptions.BATCH_MAX_SIZE));
    }

    @Test
    void shouldFailOnAnUnknownKeyOrBadValueNamingIt() {
        IllegalArgumentException unknown =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ScorerConfig.of(Map.of("scorer.batch.max-sise", "3")));
        IllegalArgumentException bad =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ScorerConfig.of(Map.of("scorer.batch.max-size", "0")));
        IllegalArgumentException arms =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ScorerConfig.of(Map.of("scorer.arms.shares", "live=0.5")));

        assertTrue(unknown.getMessage().contains("unknown key 'scorer.batch.max-sise'"));
        assertEquals(
                "config scorer.batch.max-size: expected an integer in [1, 4096], found '0'",
                bad.getMessage());
        assertTrue(arms.getMessage().contains("expected a sum of 1"), arms.getMessage());
    }
}
