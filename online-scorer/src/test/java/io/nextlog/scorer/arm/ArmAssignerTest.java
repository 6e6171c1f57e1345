package io.nextlog.scorer.arm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArmAssignerTest {

    @Test
    void shouldAssignTheSameArmEveryTimeAndPinTheHash() {
        // Pinned: the Flink job and every scorer must agree on these forever.
        assertEquals(956, ArmAssigner.bucketOf("nextlog-arms-1", "u-1"));
        assertEquals(8925, ArmAssigner.bucketOf("nextlog-arms-1", "user-42"));
        ArmAssigner arms = ArmAssigner.of("nextlog-arms-1", "live=0.5,holdout=0.5");
        for (int i = 0; i < 100; i++) {
            assertEquals(arms.armOf("u-" + i), arms.armOf("u-" + i));
        }
    }

    @Test
    void shouldSplitUsersByTheConfiguredShares() {
        ArmAssigner arms = ArmAssigner.of("salt", "live=0.9,holdout=0.1");
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 100_000; i++) {
            counts.merge(arms.armOf("user-" + i), 1, Integer::sum);
        }
        int holdout = counts.get("holdout");
        assertTrue(holdout > 9_500 && holdout < 10_500, "holdout users: " + holdout);
    }

    @Test
    void shouldRefuseSharesThatDoNotSumToOne() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ArmAssigner.of("salt", "live=0.9,holdout=0.2"));
        assertTrue(e.getMessage().contains("expected a sum of 1, found 1.1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ArmAssigner.of("salt", "live"));
    }
}
