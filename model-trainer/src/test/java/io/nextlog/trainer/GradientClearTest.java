package io.nextlog.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/**
 * Regression: clearing gradients by multiplying with 0 kept NaN entries, so after one bad batch
 * every later step of an ML-100K run was skipped.
 */
class GradientClearTest {

    @Test
    void shouldClearNonFiniteGradientsToZero() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            NDArray gradient =
                    manager.create(
                            new float[] {Float.NaN, Float.POSITIVE_INFINITY, 2f, -3f},
                            new ai.djl.ndarray.types.Shape(2, 2));

            GptTrainer.clear(gradient);

            assertArrayEquals(new float[] {0f, 0f, 0f, 0f}, gradient.toFloatArray());
        }
    }
}
