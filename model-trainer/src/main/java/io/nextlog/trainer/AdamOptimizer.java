package io.nextlog.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba, 2015) with bias correction and optional decoupled weight decay (AdamW,
 * Loshchilov and Hutter, 2019), keyed by parameter name so that its state can be saved with a
 * checkpoint and restored into a new network; DJL's own optimizers keep their state private and
 * keyed by per-instance ids.
 *
 * <p>Not thread-safe; one trainer owns it.
 */
final class AdamOptimizer {

    private static final int FORMAT = 1;

    private final float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final Map<String, Moments> moments = new LinkedHashMap<>();
    private long step;

    AdamOptimizer(float learningRate) {
        this(learningRate, 0.9f, 0.999f, 1e-8f, 0L);
    }

    private AdamOptimizer(float learningRate, float beta1, float beta2, float epsilon, long step) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.step = step;
    }

    /** Starts an optimisation step; every parameter is then updated once. */
    void beginStep() {
        step++;
    }

    /** Returns the number of steps taken, including those before a restore. */
    long step() {
        return step;
    }

    /** Returns the step size this optimizer was made with, the default of {@link #update}. */
    float learningRate() {
        return learningRate;
    }

    /**
     * Updates one parameter in place with the optimizer's own learning rate and no weight decay.
     * Call outside gradient recording.
     *
     * @param name the parameter's stable name
     * @param weight the parameter
     * @param gradient its gradient, same shape
     */
    void update(String name, NDArray weight, NDArray gradient) {
        update(name, weight, gradient, learningRate, 0f);
    }

    /**
     * Updates one parameter in place. Call outside gradient recording.
     *
     * @param name the parameter's stable name
     * @param weight the parameter
     * @param gradient its gradient, same shape
     * @param stepLearningRate this step's learning rate, as a schedule gives it
     * @param weightDecay decoupled decay: the weight shrinks by {@code stepLearningRate *
     *     weightDecay} of itself before the Adam step; 0 for none
     */
    void update(
            String name,
            NDArray weight,
            NDArray gradient,
            float stepLearningRate,
            float weightDecay) {
        Moments state = moments.computeIfAbsent(name, key -> Moments.zerosLike(weight));
        double correction1 = 1.0 - Math.pow(beta1, step);
        double correction2 = 1.0 - Math.pow(beta2, step);

        state.mean.muli(beta1).addi(gradient.mul(1f - beta1));
        state.variance.muli(beta2).addi(gradient.square().mul(1f - beta2));

        // w -= lr * wd * w, then w -= lr / c1 * m / (sqrt(v) / sqrt(c2) + eps), as
        // torch.optim.AdamW computes it.
        if (weightDecay != 0f) {
            weight.muli(1f - stepLearningRate * weightDecay);
        }
        NDArray denominator = state.variance.sqrt().div(Math.sqrt(correction2)).add(epsilon);
        weight.subi(state.mean.div(denominator).mul(stepLearningRate / correction1));
    }

    /** Writes hyper-parameters, step and moments. */
    void save(DataOutputStream out) throws IOException {
        out.writeInt(FORMAT);
        out.writeFloat(learningRate);
        out.writeFloat(beta1);
        out.writeFloat(beta2);
        out.writeFloat(epsilon);
        out.writeLong(step);
        out.writeInt(moments.size());
        for (Map.Entry<String, Moments> entry : moments.entrySet()) {
            out.writeUTF(entry.getKey());
            writeArray(out, entry.getValue().mean);
            writeArray(out, entry.getValue().variance);
        }
    }

    /**
     * Reads what {@link #save} wrote; the moments live in {@code manager}.
     *
     * @throws IOException if the stream is of another format
     */
    static AdamOptimizer load(NDManager manager, DataInputStream in) throws IOException {
        int format = in.readInt();
        if (format != FORMAT) {
            throw new IOException(
                    "optimizer state: expected format " + FORMAT + ", found " + format);
        }
        AdamOptimizer optimizer =
                new AdamOptimizer(
                        in.readFloat(),
                        in.readFloat(),
                        in.readFloat(),
                        in.readFloat(),
                        in.readLong());
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            NDArray mean = readArray(manager, in);
            NDArray variance = readArray(manager, in);
            optimizer.moments.put(name, new Moments(mean, variance));
        }
        return optimizer;
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static NDArray readArray(NDManager manager, DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        NDArray array = NDArray.decode(manager, bytes);
        NDScope.unregister(array);
        return array;
    }

    /** First and second moment of one parameter; they outlive every step's scope. */
    private record Moments(NDArray mean, NDArray variance) {
        static Moments zerosLike(NDArray weight) {
            NDArray mean = weight.zerosLike();
            NDArray variance = weight.zerosLike();
            NDScope.unregister(mean, variance);
            return new Moments(mean, variance);
        }
    }
}
