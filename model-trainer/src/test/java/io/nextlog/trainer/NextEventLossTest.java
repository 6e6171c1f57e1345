package io.nextlog.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The loss formulations agree with each other and with a hand computation. */
class NextEventLossTest {

    @Test
    void shouldMatchHandComputedCrossEntropy() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            // One position, logits [0, ln 3] over 2 items, target item 1: -ln(3/4).
            NDArray logits =
                    manager.create(
                            new float[] {0f, (float) Math.log(3)},
                            new ai.djl.ndarray.types.Shape(1, 2));
            NDArray targets = manager.create(new long[] {1});

            float loss = NextEventLoss.fullSoftmax(logits, targets).getFloat();

            assertEquals(-Math.log(0.75), loss, 1e-6);
        }
    }

    @Test
    void shouldAgreeWithThePaddedFormulationOnRealPositions() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            manager.getEngine().setRandomSeed(3);
            // (B=1, T=3, V=4); column 0 is padding.
            NDArray logits = manager.randomNormal(new ai.djl.ndarray.types.Shape(1, 3, 4));
            NDArray inputs =
                    manager.create(new long[] {0, 2, 3}, new ai.djl.ndarray.types.Shape(1, 3));
            NDArray targets =
                    manager.create(new long[] {2, 3, 1}, new ai.djl.ndarray.types.Shape(1, 3));
            float padded = NextEventLoss.of(logits, inputs, targets).getFloat();

            NDArray real = logits.reshape(3, 4).get("1:");
            float reduced =
                    NextEventLoss.fullSoftmax(real, manager.create(new long[] {3, 1})).getFloat();

            assertEquals(padded, reduced, 1e-6);
        }
    }

    @Test
    void shouldMaskNegativesThatHitTheTarget() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            // Target logit 0; negatives: id 5 (the target itself, logit 9) and id 6 (logit 0).
            NDArray targetLogits =
                    manager.create(new float[] {0f}, new ai.djl.ndarray.types.Shape(1, 1));
            NDArray negativeLogits =
                    manager.create(new float[] {9f, 0f}, new ai.djl.ndarray.types.Shape(1, 2));
            NDArray negativeIds = manager.create(new long[] {5, 6});
            NDArray targets = manager.create(new long[] {5});

            float loss =
                    NextEventLoss.sampledSoftmax(targetLogits, negativeLogits, negativeIds, targets)
                            .getFloat();

            // Only the target and id 6 remain: -ln(1/2).
            assertEquals(Math.log(2), loss, 1e-6);
        }
    }
}
