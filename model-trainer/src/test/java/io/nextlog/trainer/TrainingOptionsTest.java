package io.nextlog.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The learning-rate schedule and the validation of the options. */
class TrainingOptionsTest {

    private static final TrainingOptions OPTIONS =
            new TrainingOptions(
                    10, 8, 1e-3f, 10, 0.1f, 0f, 0.2f, 0, 1, 1, InputAblation.NONE, 1f, 0f, 0f);

    @Test
    void shouldWarmUpLinearlyThenDecayByCosineToTheFinalRatio() {
        assertEquals(1e-4f, OPTIONS.learningRateAt(1, 110), 1e-9f);
        assertEquals(1e-3f, OPTIONS.learningRateAt(10, 110), 1e-9f);
        // Half-way through the decay the cosine is at its mean: 0.1 + 0.9 * 0.5.
        assertEquals(0.55e-3f, OPTIONS.learningRateAt(60, 110), 1e-9f);
        assertEquals(1e-4f, OPTIONS.learningRateAt(110, 110), 1e-9f);
        assertEquals(1e-4f, OPTIONS.learningRateAt(500, 110), 1e-9f);
    }

    @Test
    void shouldKeepConstantOptionsConstant() {
        TrainingOptions constant = TrainingOptions.constant(0.01f);

        assertEquals(0.01f, constant.learningRateAt(1, 0));
        assertEquals(0.01f, constant.learningRateAt(1_000, 0));
    }

    @Test
    void shouldNameTheBadOption() {
        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new TrainingOptions(
                                        10,
                                        8,
                                        1e-3f,
                                        0,
                                        0.1f,
                                        0f,
                                        1.0f,
                                        0,
                                        1,
                                        1,
                                        InputAblation.NONE,
                                        1f,
                                        0f,
                                        0f));
        assertTrue(error.getMessage().startsWith("dropoutRate: expected"), error.getMessage());
    }

    @Test
    void shouldRampTheAveragingDecayUpToTheConfiguredOne() {
        TrainingOptions averaging = OPTIONS.withWeightAveraging(0.99f);

        assertTrue(averaging.averagesWeights());
        assertFalse(OPTIONS.averagesWeights());
        assertEquals(0.1f, averaging.weightAveragingAt(1), 1e-6f);
        assertEquals(0.5f, averaging.weightAveragingAt(9), 1e-6f);
        assertEquals(0.99f, averaging.weightAveragingAt(5_000), 1e-6f);
    }

    @Test
    void shouldRefuseAnAveragingDecayOrItemDropoutOfOne() {
        IllegalArgumentException averaging =
                assertThrows(IllegalArgumentException.class, () -> OPTIONS.withWeightAveraging(1f));
        IllegalArgumentException dropout =
                assertThrows(IllegalArgumentException.class, () -> OPTIONS.withItemDropout(1f));

        assertTrue(
                averaging.getMessage().startsWith("weightAveraging: expected a decay in [0, 1)"),
                averaging.getMessage());
        assertTrue(
                dropout.getMessage().startsWith("itemDropout: expected a probability in [0, 1)"),
                dropout.getMessage());
    }
}
