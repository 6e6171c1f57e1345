package io.nextlog.trainer;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;

/** Builds the network's parameters with their shapes and initialisers fixed up front. */
final class GptParameters {

    /** GPT-2's initialisation: weights from N(0, 0.02²). */
    private static final Initializer WEIGHTS = new NormalInitializer(0.02f);

    private GptParameters() {}

    static Parameter weight(String name, long... shape) {
        return build(name, Parameter.Type.WEIGHT, WEIGHTS, shape);
    }

    static Parameter bias(String name, long size) {
        return build(name, Parameter.Type.BIAS, Initializer.ZEROS, size);
    }

    static Parameter gamma(String name, long size) {
        return build(name, Parameter.Type.GAMMA, Initializer.ONES, size);
    }

    static Parameter beta(String name, long size) {
        return build(name, Parameter.Type.BETA, Initializer.ZEROS, size);
    }

    private static Parameter build(
            String name, Parameter.Type type, Initializer initializer, long... shape) {
        return Parameter.builder()
                .setName(name)
                .setType(type)
                .optShape(new Shape(shape))
                .optInitializer(initializer)
                .build();
    }
}
