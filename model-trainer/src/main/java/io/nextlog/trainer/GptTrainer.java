package io.nextlog.trainer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.nextlog.bundle.BundleWriter;
import io.nextlog.bundle.GraphSignature;
import io.nextlog.bundle.ModelBundle;
import io.nextlog.bundle.ModelConfig;
import io.nextlog.bundle.ModelProvenance;
import io.nextlog.tokenize.GapBuckets;
import io.nextlog.tokenize.JourneyTokenizer;
import io.nextlog.tokenize.TokenBatch;
import io.nextlog.tokenize.Vocabulary;
import io.nextlog.trainer.eval.Scorer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns one {@link NextLogGpt} with its optimizer: trains it step by step, predicts with it,
 * checkpoints it and writes it out as a bundle.
 *
 * <p>The checkpoint holds the DJL parameters ({@value #PARAMETERS_FILE}) and the Adam state
 * ({@value #OPTIMIZER_FILE}); restoring both continues training exactly where it stopped.
 *
 * <p>Not thread-safe. PyTorch gradient recording is global in DJL, so only one trainer per JVM may
 * be inside {@link #trainStep} at a time. Close it to free the native memory.
 */
public final class GptTrainer implements AutoCloseable {

    /** DJL parameters file in the checkpoint folder. */
    public static final String PARAMETERS_FILE = "parameters.djl";

    /** How far below the lowest reference score a new item starts, in logits. */
    static final float COLD_START_MARGIN = 0.5f;

    /** Optimizer state file in the checkpoint folder. */
    public static final String OPTIMIZER_FILE = "optimizer.bin";

    private static final Logger LOG = LoggerFactory.getLogger(GptTrainer.class);

    static {
        // Natives come from the pytorch-native jar; never download anything at run time.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    /** Mixed into the seed for the sampled-softmax negatives, so they differ from other draws. */
    private static final long NEGATIVES_SEED_MIX = 0x5DEECE66DL;

    /** Mixed into the seed for the item dropout's draws. */
    private static final long ITEM_DROPOUT_SEED_MIX = 0x2545F4914F6CDD1DL;

    private final NDManager manager;
    private final NextLogGpt network;
    private final AdamOptimizer optimizer;
    private final ParameterStore store;
    private final TrainingOptions options;
    private final long totalSteps;
    private final Random negativeRandom;
    private final Random itemDropoutRandom;
    private long skippedSteps;

    /**
     * The moving average of the weights, when the options ask for one; null until the first step.
     */
    private Map<String, NDArray> averaged;

    private GptTrainer(
            NDManager manager,
            NextLogGpt network,
            AdamOptimizer optimizer,
            TrainingOptions options,
            long totalSteps,
            long seed) {
        this.manager = manager;
        this.network = network;
        this.optimizer = optimizer;
        this.store = new ParameterStore(manager, false);
        this.options = options;
        this.totalSteps = totalSteps;
        this.negativeRandom = new Random(seed ^ NEGATIVES_SEED_MIX);
        this.itemDropoutRandom = new Random(seed ^ ITEM_DROPOUT_SEED_MIX);
    }

    /**
     * Creates a freshly initialised network that trains with a constant learning rate, full softmax
     * and no regularisation.
     *
     * @param config the architecture
     * @param seed seeds PyTorch's generator, which draws the initial weights
     * @param learningRate Adam's step size
     */
    public static GptTrainer create(ModelConfig config, long seed, float learningRate) {
        return create(config, seed, TrainingOptions.constant(learningRate), 0);
    }

    /**
     * Creates a freshly initialised network.
     *
     * @param config the architecture
     * @param seed seeds PyTorch's generator (initial weights and dropout) and the sampled
     *     negatives; equal seeds, options and batches give equal runs on the same machine
     * @param options learning-rate schedule, weight decay, dropout, loss and ablation
     * @param totalSteps the steps the learning-rate schedule spans
     */
    public static GptTrainer create(
            ModelConfig config, long seed, TrainingOptions options, long totalSteps) {
        Engine engine = Engine.getEngine("PyTorch");
        engine.setRandomSeed((int) seed);
        NDManager manager = engine.newBaseManager();

        NextLogGpt network = new NextLogGpt(config, options.dropoutRate());
        network.initialize(
                manager,
                DataType.FLOAT32,
                NextLogGpt.inputShapes(1, config.tokenizer().maxLength()));
        LOG.info("Created next-log GPT {} on {}, seed {}", config, manager.getDevice(), seed);
        AdamOptimizer optimizer = new AdamOptimizer(options.learningRate());
        return new GptTrainer(manager, network, optimizer, options, totalSteps, seed);
    }

    /**
     * Restores a network and its optimizer from a checkpoint folder, such as a bundle's. Further
     * training steps use the stored learning rate, constant, with neither dropout nor weight decay.
     *
     * @param config the architecture the checkpoint was written with
     * @param checkpointDir the folder {@link #writeCheckpoint} wrote
     * @throws IOException if a file is missing or does not fit {@code config}
     */
    public static GptTrainer restore(ModelConfig config, Path checkpointDir) throws IOException {
        return restore(config, checkpointDir, Float.NaN);
    }

    /**
     * Restores a network and its optimizer from a checkpoint folder and steps on with a constant
     * learning rate of its own, as fine-tuning from feedback does.
     *
     * @param learningRate the constant step size; NaN keeps the stored one
     * @throws IOException if a file is missing or does not fit {@code config}
     */
    public static GptTrainer restore(ModelConfig config, Path checkpointDir, float learningRate)
            throws IOException {
        NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
        try {
            NextLogGpt network = new NextLogGpt(config);
            try (DataInputStream in = open(checkpointDir.resolve(PARAMETERS_FILE))) {
                network.loadParameters(manager, in);
            }
            for (Pair<String, Parameter> parameter : network.getParameters()) {
                parameter.getValue().getArray().setRequiresGradient(true);
            }
            AdamOptimizer optimizer;
            try (DataInputStream in = open(checkpointDir.resolve(OPTIMIZER_FILE))) {
                optimizer = AdamOptimizer.load(manager, in);
            }
            LOG.info("Restored checkpoint {} at step {}", checkpointDir, optimizer.step());
            float rate = Float.isNaN(learningRate) ? optimizer.learningRate() : learningRate;
            TrainingOptions options = TrainingOptions.constant(rate);
            return new GptTrainer(manager, network, optimizer, options, 0, 0);
        } catch (IOException | RuntimeException | ai.djl.MalformedModelException e) {
            manager.close();
            throw e instanceof IOException io
                    ? io
                    : new IOException(
                            "checkpoint "
                                    + checkpointDir
                                    + ": could not restore a model of "
                                    + config,
                            e);
        }
    }

    /**
     * Takes one Adam step on the next-event loss of a batch: full softmax, or sampled softmax when
     * the options ask for negatives.
     *
     * @return the batch loss before the step
     */
    public float trainStep(TrainingBatch batch) {
        try (NDScope scope = new NDScope()) {
            NDList inputs = toArrays(batch.inputs(), droppedItems(batch.inputs()));
            RealPositions real = RealPositions.of(batch);

            float loss;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray lossArray = loss(inputs, real);
                collector.backward(lossArray);
                loss = lossArray.getFloat();
            }
            if (applyGradients(loss) && options.averagesWeights()) {
                updateAverage();
            }
            return loss;
        }
    }

    /** Moves the weights' average toward the weights of the step just taken. */
    private void updateAverage() {
        if (averaged == null) {
            averaged = copyWeights();
            return;
        }
        float decay = options.weightAveragingAt(optimizer.step());
        for (Pair<String, Parameter> parameter : network.getParameters()) {
            NDArray weight = parameter.getValue().getArray();
            averaged.get(parameter.getKey()).muli(decay).addi(weight.mul(1f - decay));
        }
    }

    /**
     * Runs {@code work} with the moving average of the weights in place of the trained weights,
     * then puts the trained ones back, so training steps on from where it was. Without averaging
     * (or before the first step) it just runs {@code work} on the trained weights. Early stopping
     * validates and keeps the average this way.
     */
    public <T> T withAveragedWeights(Supplier<T> work) {
        if (averaged == null) {
            return work.get();
        }
        Map<String, NDArray> trained = copyWeights();
        try {
            restoreWeights(averaged);
            return work.get();
        } finally {
            restoreWeights(trained);
            trained.values().forEach(NDArray::close);
        }
    }

    /**
     * Takes one Adam step on customers' answers to offers, plus an optional replay batch of earlier
     * journeys against forgetting.
     *
     * <p>For each answer the model predicts the next event after its journey: a positive target is
     * pulled up by cross-entropy ({@code -log p}), a negative one pushed down by unlikelihood
     * ({@code -log(1 - p)}), so a dismissal lowers that item without lifting any particular other
     * one. The replay batch adds the ordinary next-event loss at all its positions; both losses are
     * means, added with equal weight.
     *
     * @param journeys (B, T) the journeys before each answer, tokenised by the model's tokenizer
     * @param targets B item ids, each a real (assigned) id
     * @param positive B flags: true pulls the target up, false pushes it down
     * @param replay earlier journeys to keep learning, or null for none
     * @return the loss before the step
     */
    public float feedbackStep(
            TokenBatch journeys, long[] targets, boolean[] positive, TrainingBatch replay) {
        if (targets.length != journeys.batchSize() || positive.length != targets.length) {
            throw new IllegalArgumentException(
                    "feedback batch: expected "
                            + journeys.batchSize()
                            + " targets and labels, found "
                            + targets.length
                            + " and "
                            + positive.length);
        }
        try (NDScope scope = new NDScope()) {
            float[] pull = new float[positive.length];
            for (int i = 0; i < pull.length; i++) {
                pull[i] = positive[i] ? 1f : 0f;
            }
            float loss;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                int c = network.config().embeddingDim();
                NDList inputs = toArrays(journeys);
                // (B, T, C) -> newest position (B, C) -> (B, V) log-probabilities
                NDArray newest =
                        network.hidden(store, inputs, true).get(0).get(new NDIndex(":, -1, :"));
                NDArray logProbabilities =
                        network.scoreAll(store, newest.reshape(-1, c)).logSoftmax(-1);
                // (B, 1) log p of each answer's target
                NDArray picked = logProbabilities.gather(manager.create(targets).reshape(-1, 1), 1);
                NDArray up = manager.create(pull).reshape(-1, 1);
                NDArray down = up.neg().add(1f);
                // -log(1 - p), with p kept below 1 so a confident model gives a finite loss
                NDArray unlikely = picked.exp().neg().add(1f).maximum(1e-6f).log().neg();
                NDArray feedback = picked.neg().mul(up).add(unlikely.mul(down)).mean();
                NDArray total = feedback;
                if (replay != null) {
                    RealPositions real = RealPositions.of(replay);
                    if (real.flatIndices().length > 0) {
                        total = total.add(loss(toArrays(replay.inputs()), real));
                    }
                }
                collector.backward(total);
                loss = total.getFloat();
            }
            applyGradients(loss);
            return loss;
        }
    }

    /**
     * The loss of a batch, computed at real positions only: padded columns would otherwise take
     * most of the (B·T, V) output layer's time on batches of unequal journeys.
     */
    private NDArray loss(NDList inputs, RealPositions real) {
        int c = network.config().embeddingDim();
        // (B, T, C) -> (B·T, C)
        NDArray h = network.hidden(store, inputs, true).get(0).reshape(-1, c);
        if (real.flatIndices().length == 0) {
            // Nothing to predict (every journey shorter than 2 events): a zero loss, no update.
            return h.sum().mul(0f);
        }
        // (B·T, C) -> real positions (N, C); their targets (N,)
        NDArray hReal = NextLogGpt.rows(h, manager.create(real.flatIndices()));
        NDArray targets = manager.create(real.targets());
        if (options.sampledNegatives() == 0) {
            // (N, C) -> (N, V)
            NDArray logits = network.scoreAll(store, hReal);
            return NextEventLoss.fullSoftmax(logits, targets);
        }
        // (N, C) -> target logits (N, 1) and negative logits (N, K)
        NDArray negativeIds = manager.create(drawNegatives());
        NDArray targetLogits = network.scoreTargets(store, hReal, targets);
        NDArray negativeLogits = network.scoreItems(store, hReal, negativeIds);
        return NextEventLoss.sampledSoftmax(targetLogits, negativeLogits, negativeIds, targets);
    }

    /** The flat (B·T) indices of positions whose input and target are real, and their targets. */
    private record RealPositions(long[] flatIndices, long[] targets) {
        static RealPositions of(TrainingBatch batch) {
            long[] inputs = batch.inputs().itemIds();
            long[] targets = batch.targetItemIds();
            int count = 0;
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i] != 0 && targets[i] != 0) {
                    count++;
                }
            }
            long[] indices = new long[count];
            long[] kept = new long[count];
            int next = 0;
            for (int i = 0; i < inputs.length; i++) {
                if (inputs[i] != 0 && targets[i] != 0) {
                    indices[next] = i;
                    kept[next++] = targets[i];
                }
            }
            return new RealPositions(indices, kept);
        }
    }

    /** K item ids drawn uniformly from the non-reserved ids, with repeats. */
    private long[] drawNegatives() {
        int first = Vocabulary.FIRST_ITEM_ID;
        int span = network.config().vocabularySize() - first;
        long[] ids = new long[options.sampledNegatives()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = first + negativeRandom.nextInt(span);
        }
        return ids;
    }

    /**
     * Gives newly assigned vocabulary slots a cautious start: a zero embedding (no affinity to any
     * journey) and an output bias that ranks them below every reference item for the sample
     * journeys. A free slot otherwise keeps whatever pre-training left in it, and an item nobody
     * has answered yet could rank high for everyone; from here it rises only as customers take it.
     *
     * <p>A zero embedding scores exactly its bias, whatever the journey. The lowest bias alone is
     * not low enough: a known item's score adds the journey's affinity to it, which is often
     * negative, so with the lowest bias a new campaign would sit mid-list before anyone answered
     * it. The bias is therefore set a margin below the lowest score any reference item gets for any
     * sample journey. With no sample journeys or no reference items it falls back to the lowest
     * bias of the known items.
     *
     * @param ids the new items' ids
     * @param knownItems how many items held ids before them (ids {@value Vocabulary#FIRST_ITEM_ID}
     *     up to {@code FIRST_ITEM_ID + knownItems})
     * @param sample tokenised recent journeys, or null
     * @param referenceIds ids of the items the new ones should start below (those they will be
     *     ranked against, a channel catalog for example); may be empty
     */
    public void coldStart(int[] ids, int knownItems, TokenBatch sample, int[] referenceIds) {
        if (ids.length == 0 || knownItems < 1) {
            return;
        }
        leaveGradientMode();
        float start = Float.NaN;
        if (sample != null && sample.batchSize() > 0 && referenceIds.length > 0) {
            Prediction prediction = predict(sample);
            float lowest = Float.POSITIVE_INFINITY;
            for (int row = 0; row < prediction.batchSize(); row++) {
                float[] scores = prediction.scoresOf(row);
                for (int id : referenceIds) {
                    lowest = Math.min(lowest, scores[id]);
                }
            }
            start = lowest - COLD_START_MARGIN;
        }
        NDArray table = parameter("item_embedding");
        NDArray bias = parameter("output_bias");
        NDIndex known =
                new NDIndex(
                        Vocabulary.FIRST_ITEM_ID + ":" + (Vocabulary.FIRST_ITEM_ID + knownItems));
        try (NDScope scope = new NDScope()) {
            float value = Float.isFinite(start) ? start : bias.get(known).min().getFloat();
            for (int id : ids) {
                table.set(new NDIndex(id), 0f);
                bias.set(new NDIndex(id), value);
            }
        }
    }

    private NDArray parameter(String name) {
        for (Pair<String, Parameter> parameter : network.getParameters()) {
            if (parameter.getKey().endsWith(name)) {
                return parameter.getValue().getArray();
            }
        }
        throw new IllegalStateException(
                "network " + network.config() + ": expected a parameter " + name + ", found none");
    }

    /** Returns a {@link Scorer} that predicts with this network (no dropout). */
    public Scorer scorer(JourneyTokenizer tokenizer) {
        return journeys -> {
            Prediction prediction = predict(tokenizer.tokenize(journeys));
            float[][] scores = new float[journeys.size()][];
            for (int row = 0; row < scores.length; row++) {
                scores[row] = prediction.scoresOf(row);
            }
            return scores;
        };
    }

    /** Returns the options this trainer steps with. */
    public TrainingOptions options() {
        return options;
    }

    /**
     * Copies the current weights, to be put back by {@link #restoreWeights}; the copies live as
     * long as this trainer.
     */
    public Map<String, NDArray> copyWeights() {
        Map<String, NDArray> copies = new LinkedHashMap<>();
        for (Pair<String, Parameter> parameter : network.getParameters()) {
            NDArray copy = parameter.getValue().getArray().duplicate();
            NDScope.unregister(copy);
            copies.put(parameter.getKey(), copy);
        }
        return copies;
    }

    /** Puts back weights that {@link #copyWeights} took; the optimizer state stays as it is. */
    public void restoreWeights(Map<String, NDArray> copies) {
        for (Pair<String, Parameter> parameter : network.getParameters()) {
            NDArray copy = copies.get(parameter.getKey());
            if (copy == null) {
                throw new IllegalArgumentException(
                        "weights: expected a copy of " + parameter.getKey() + ", found none");
            }
            copy.copyTo(parameter.getValue().getArray());
        }
    }

    /** Predicts scores and attribution at the newest position of every journey in a batch. */
    public Prediction predict(TokenBatch batch) {
        try (NDScope scope = new NDScope()) {
            NDList out = network.forward(store, toArrays(batch), false);
            // (B, T, V) -> newest position (B, V)
            NDArray newest = out.get(0).get(new NDIndex(":, -1, :"));
            return new Prediction(
                    batch.batchSize(), newest.toFloatArray(), out.get(1).toFloatArray());
        }
    }

    /** Writes parameters and optimizer state into an existing folder. */
    public void writeCheckpoint(Path checkpointDir) throws IOException {
        try (DataOutputStream out = create(checkpointDir.resolve(PARAMETERS_FILE))) {
            network.saveParameters(out);
        }
        try (DataOutputStream out = create(checkpointDir.resolve(OPTIMIZER_FILE))) {
            optimizer.save(out);
        }
    }

    /** Returns the ONNX graph of the current weights. */
    public byte[] exportOnnx() {
        return GptOnnxExporter.export(network);
    }

    /**
     * Writes the current model as a bundle: ONNX graph, vocabulary, checkpoint, manifest.
     *
     * @see BundleWriter#write
     */
    public ModelBundle writeBundle(
            Path bundleDir, ModelProvenance provenance, Vocabulary vocabulary) throws IOException {
        return BundleWriter.write(
                bundleDir,
                provenance,
                GraphSignature.NEXT_LOG_V1,
                exportOnnx(),
                vocabulary,
                this::writeCheckpoint);
    }

    /**
     * Writes the current model as a bundle whose checkpoint folder also holds the run's {@link
     * TrainingRecord}.
     *
     * @see BundleWriter#write
     */
    public ModelBundle writeBundle(
            Path bundleDir,
            ModelProvenance provenance,
            Vocabulary vocabulary,
            TrainingRecord record)
            throws IOException {
        return BundleWriter.write(
                bundleDir,
                provenance,
                GraphSignature.NEXT_LOG_V1,
                exportOnnx(),
                vocabulary,
                checkpointDir -> {
                    writeCheckpoint(checkpointDir);
                    record.writeTo(checkpointDir);
                });
    }

    /** Returns the number of optimizer steps taken, including those before a restore. */
    public long steps() {
        return optimizer.step();
    }

    /** Returns the network. */
    public NextLogGpt network() {
        return network;
    }

    @Override
    public void close() {
        manager.close();
    }

    /**
     * Clips the gradients to the options' global norm and takes the Adam step; skips the step,
     * clearing the gradients, when the loss or the gradients are not finite, so one bad batch
     * cannot turn every weight into NaN.
     *
     * @return whether the step was taken
     */
    private boolean applyGradients(float loss) {
        leaveGradientMode();
        List<Pair<String, Parameter>> parameters = network.getParameters().stream().toList();
        // One scalar for all parameters, so the step waits for the native side only once.
        NDList squares = new NDList(parameters.size());
        for (Pair<String, Parameter> parameter : parameters) {
            squares.add(parameter.getValue().getArray().getGradient().square().sum());
        }
        double norm = Math.sqrt(NDArrays.stack(squares).sum().getFloat());
        if (!Float.isFinite(loss) || !Double.isFinite(norm)) {
            skippedSteps++;
            LOG.warn(
                    "Skipped step {}: loss {}, gradient norm {} ({} skipped so far)",
                    optimizer.step() + 1,
                    loss,
                    norm,
                    skippedSteps);
            parameters.forEach(p -> clear(p.getValue().getArray().getGradient()));
            return false;
        }
        float clip = options.maxGradientNorm();
        float scale = clip > 0f && norm > clip ? (float) (clip / norm) : 1f;

        optimizer.beginStep();
        float learningRate = options.learningRateAt(optimizer.step(), totalSteps);
        for (Pair<String, Parameter> parameter : parameters) {
            NDArray weight = parameter.getValue().getArray();
            NDArray gradient = weight.getGradient();
            if (scale != 1f) {
                gradient.muli(scale);
            }
            boolean decays = parameter.getValue().getType() == Parameter.Type.WEIGHT;
            float decay = decays ? options.weightDecay() : 0f;
            optimizer.update(parameter.getKey(), weight, gradient, learningRate, decay);
            clear(gradient);
        }
        return true;
    }

    /**
     * PyTorch's gradient mode is per thread and starts on in a new thread, where the in-place
     * weight update would then be refused for a leaf that requires gradients (a gradient collector
     * only restores the mode it found). Turned off once per thread, before its first update.
     */
    private static void leaveGradientMode() {
        if (!GRADIENT_MODE_OFF.get()) {
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
            GRADIENT_MODE_OFF.set(true);
        }
    }

    private static final ThreadLocal<Boolean> GRADIENT_MODE_OFF =
            ThreadLocal.withInitial(() -> false);

    /**
     * PyTorch accumulates gradients; clears one for the next step. Overwrites rather than
     * multiplies by 0, since a NaN or infinite entry times 0 stays NaN and would poison every later
     * step.
     */
    static void clear(NDArray gradient) {
        gradient.set(new NDIndex("..."), 0f);
    }

    /** Returns the steps skipped for a non-finite loss or gradient. */
    public long skippedSteps() {
        return skippedSteps;
    }

    private NDList toArrays(TokenBatch batch) {
        return toArrays(batch, batch.itemIds());
    }

    /** The batch's tensors, with {@code itemIds} (B, T) as the item input. */
    private NDList toArrays(TokenBatch batch, long[] itemIds) {
        Shape shape = new Shape(batch.shape());
        long[] domains = batch.domainIds();
        long[] gaps = batch.gapBuckets();
        if (options.ablation() == InputAblation.NO_DOMAIN) {
            domains = constantWhereReal(batch.itemIds(), 1L);
        } else if (options.ablation() == InputAblation.NO_GAP) {
            gaps = constantWhereReal(batch.itemIds(), GapBuckets.FIRST_EVENT_ID);
        }
        return new NDList(
                manager.create(itemIds, shape),
                manager.create(domains, shape),
                manager.create(gaps, shape));
    }

    /**
     * The batch's item ids with the options' item dropout applied; the batch's own array when the
     * dropout is 0.
     */
    private long[] droppedItems(TokenBatch batch) {
        float probability = options.itemDropout();
        return probability == 0f
                ? batch.itemIds()
                : dropItems(batch.itemIds(), probability, itemDropoutRandom);
    }

    /**
     * A copy of (B, T) item ids with each real item replaced by the out-of-vocabulary id with
     * {@code probability}; padding stays padding.
     */
    static long[] dropItems(long[] itemIds, float probability, Random random) {
        long[] items = itemIds.clone();
        for (int i = 0; i < items.length; i++) {
            if (items[i] != Vocabulary.PADDING_ID && random.nextFloat() < probability) {
                items[i] = Vocabulary.OOV_ID;
            }
        }
        return items;
    }

    /** (B, T) ids: {@code value} at real events, 0 at padding; a new array. */
    private static long[] constantWhereReal(long[] itemIds, long value) {
        long[] ids = new long[itemIds.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = itemIds[i] == 0 ? 0 : value;
        }
        return ids;
    }

    private static DataInputStream open(Path file) throws IOException {
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(file)));
    }

    private static DataOutputStream create(Path file) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)));
    }
}
