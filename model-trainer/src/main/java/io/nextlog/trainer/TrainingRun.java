package io.nextlog.trainer;

import ai.djl.ndarray.NDArray;
import io.nextlog.bundle.ModelConfig;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.tokenize.JourneyTokenizer;
import io.nextlog.tokenize.Vocabulary;
import io.nextlog.trainer.eval.LeaveOneOutEvaluator;
import io.nextlog.trainer.eval.LeaveOneOutSplit;
import io.nextlog.trainer.eval.RankingResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run: epochs over the training sequences of a {@link LeaveOneOutSplit}, validation
 * NDCG@10 after every few epochs, early stopping, and the best-validation weights at the end (a
 * moving average of the weights, when the options keep one).
 *
 * <p>Every position of every training sequence is a next-event target (SASRec-style): a sequence of
 * n events gives n-1 targets, the newest {@code maxLength} of them when it is longer. Sequences
 * with one event give none and are left out.
 *
 * <p>Batching: each epoch shuffles the sequences with a {@link Random} of the run's seed, cuts the
 * shuffled order into pools of {@value #POOL_BATCHES} batches, sorts each pool by length, cuts it
 * into batches and shuffles the batches. Each batch is only as wide as its longest sequence, so
 * little time goes to padding, while every batch still mixes users from across the data set. The
 * model's positions count back from the newest event, so the width does not change the result.
 *
 * <p>Seeded: within one process, equal data, config, options and seed give equal weights. Across
 * processes that holds only without dropout: with dropout on, two otherwise equal ML-100K runs
 * drifted apart from their first epochs (the PyTorch dropout masks are the suspect, not proven),
 * and other thread counts may reduce in another order as well.
 */
public final class TrainingRun {

    /** Batches per pool of the length-sorting batcher. */
    static final int POOL_BATCHES = 16;

    private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class);

    private TrainingRun() {}

    /** Hears how a run goes; the command line draws its progress bar from it. */
    public interface Listener {

        /** After each step. */
        void onStep(StepProgress progress);

        /** After each validation. */
        void onValidation(int epoch, RankingResult validation, boolean best);
    }

    /**
     * Where a run stands after a step.
     *
     * @param epoch the 1-based epoch
     * @param maxEpochs the epochs the run may take
     * @param step the 1-based step within the epoch
     * @param stepsPerEpoch the steps of every epoch
     * @param loss the mean loss of the epoch so far
     * @param tokensPerSecond training positions per second over the run so far, evaluation time
     *     excluded
     * @param elapsedSeconds wall time of the run so far, evaluations included
     */
    public record StepProgress(
            int epoch,
            int maxEpochs,
            int step,
            int stepsPerEpoch,
            double loss,
            double tokensPerSecond,
            double elapsedSeconds) {}

    /**
     * One validation.
     *
     * @param epoch after which epoch
     * @param trainLoss the epoch's mean loss
     * @param validation the ranking on the validation targets
     */
    public record Checkpoint(int epoch, double trainLoss, RankingResult validation) {}

    /**
     * What a run gives back.
     *
     * @param trainer the trainer, holding the best-validation weights; the caller closes it
     * @param epochsRun epochs taken before the run stopped
     * @param bestEpoch the epoch whose weights the trainer holds
     * @param bestValidation the validation ranking of those weights
     * @param history every validation, in order
     * @param trainingPositions next-event targets per epoch
     * @param tokensPerSecond training positions per second, evaluation time excluded
     * @param wallSeconds the run's wall time, evaluations included
     */
    public record Result(
            GptTrainer trainer,
            int epochsRun,
            int bestEpoch,
            RankingResult bestValidation,
            List<Checkpoint> history,
            long trainingPositions,
            double tokensPerSecond,
            double wallSeconds) {}

    /**
     * Trains a fresh network.
     *
     * @param config the architecture; its vocabulary size must be the vocabulary's
     * @param options schedule, regularisation, loss and stopping rule
     * @param seed seeds initialisation, dropout, batching and sampled negatives
     * @param split the training sequences and validation targets
     * @param vocabulary the item vocabulary
     * @param evaluator ranks the validation targets; its own seed fixes the negatives
     * @param listener hears about progress
     * @throws IllegalArgumentException if no training sequence has two events
     */
    public static Result train(
            ModelConfig config,
            TrainingOptions options,
            long seed,
            LeaveOneOutSplit split,
            Vocabulary vocabulary,
            LeaveOneOutEvaluator evaluator,
            Listener listener) {
        JourneyTokenizer tokenizer = new JourneyTokenizer(vocabulary, config.tokenizer());
        int maxLength = config.tokenizer().maxLength();
        List<List<JourneyStep>> sequences = trainable(split.trainingSequences(), maxLength);
        long positions = positionsOf(sequences, maxLength);
        int stepsPerEpoch = (sequences.size() + options.batchSize() - 1) / options.batchSize();
        long totalSteps = (long) stepsPerEpoch * options.maxEpochs();
        LOG.info(
                "Training on {} sequences, {} positions per epoch, {} steps per epoch",
                sequences.size(),
                positions,
                stepsPerEpoch);

        Random batching = new Random(seed);
        GptTrainer trainer = GptTrainer.create(config, seed, options, totalSteps);
        State state = new State();
        long started = System.nanoTime();
        try {
            for (int epoch = 1; epoch <= options.maxEpochs(); epoch++) {
                double loss =
                        runEpoch(trainer, tokenizer, sequences, batching, epoch, state, listener);
                boolean last = epoch == options.maxEpochs();
                if (epoch % options.evaluateEveryEpochs() == 0 || last) {
                    int evaluated = epoch;
                    // The averaged weights, when the options keep an average, are what is
                    // validated and what the best copy takes.
                    boolean best =
                            trainer.withAveragedWeights(
                                    () -> {
                                        RankingResult validation =
                                                evaluator.evaluate(
                                                        trainer.scorer(tokenizer),
                                                        LeaveOneOutEvaluator.Target.VALIDATION);
                                        return state.offer(trainer, evaluated, loss, validation);
                                    });
                    listener.onValidation(epoch, state.lastValidation(), best);
                    if (state.evaluationsSinceBest >= options.patience()) {
                        LOG.info(
                                "Stopping after epoch {}: no better validation NDCG@10 in {}"
                                        + " evaluations",
                                epoch,
                                options.patience());
                        break;
                    }
                }
                state.epochsRun = epoch;
            }
            trainer.restoreWeights(state.bestWeights);
            double wallSeconds = (System.nanoTime() - started) / 1e9;
            return new Result(
                    trainer,
                    Math.max(state.epochsRun, state.lastEvaluatedEpoch),
                    state.bestEpoch,
                    state.bestValidation,
                    List.copyOf(state.history),
                    positions,
                    state.tokens / Math.max(1e-9, state.trainSeconds),
                    wallSeconds);
        } catch (RuntimeException e) {
            trainer.close();
            throw e;
        }
    }

    private static double runEpoch(
            GptTrainer trainer,
            JourneyTokenizer tokenizer,
            List<List<JourneyStep>> sequences,
            Random batching,
            int epoch,
            State state,
            Listener listener) {
        TrainingOptions options = trainer.options();
        int maxLength = tokenizer.spec().maxLength();
        List<List<List<JourneyStep>>> batches = batches(sequences, options.batchSize(), batching);
        double lossSum = 0;
        for (int i = 0; i < batches.size(); i++) {
            List<List<JourneyStep>> batch = batches.get(i);
            long stepStarted = System.nanoTime();
            int width = Math.min(maxLength, longest(batch) - 1);
            float loss = trainer.trainStep(TrainingBatch.of(tokenizer, batch, width));
            state.trainSeconds += (System.nanoTime() - stepStarted) / 1e9;
            state.tokens += positionsOf(batch, maxLength);
            lossSum += loss;
            listener.onStep(
                    new StepProgress(
                            epoch,
                            options.maxEpochs(),
                            i + 1,
                            batches.size(),
                            lossSum / (i + 1),
                            state.tokens / Math.max(1e-9, state.trainSeconds),
                            state.elapsedSeconds()));
        }
        return lossSum / batches.size();
    }

    /** Shuffled, length-pooled batches; see the class comment. */
    static List<List<List<JourneyStep>>> batches(
            List<List<JourneyStep>> sequences, int batchSize, Random random) {
        List<List<JourneyStep>> shuffled = new ArrayList<>(sequences);
        Collections.shuffle(shuffled, random);
        int poolSize = batchSize * POOL_BATCHES;
        List<List<List<JourneyStep>>> batches = new ArrayList<>();
        for (int from = 0; from < shuffled.size(); from += poolSize) {
            List<List<JourneyStep>> pool =
                    new ArrayList<>(
                            shuffled.subList(from, Math.min(shuffled.size(), from + poolSize)));
            pool.sort(Comparator.comparingInt(List::size));
            for (int start = 0; start < pool.size(); start += batchSize) {
                batches.add(pool.subList(start, Math.min(pool.size(), start + batchSize)));
            }
        }
        Collections.shuffle(batches, random);
        return batches;
    }

    /**
     * The sequences to train on: those with two events or more, each longer one cut into windows of
     * at most {@code maxLength + 1} events that overlap by one event, newest window first, so every
     * next-event target of a long history trains exactly once. The older windows start without the
     * context before them; that is the price of a bounded maxLength.
     */
    static List<List<JourneyStep>> trainable(List<List<JourneyStep>> sequences, int maxLength) {
        List<List<JourneyStep>> kept = new ArrayList<>();
        for (List<JourneyStep> sequence : sequences) {
            for (int end = sequence.size(); end >= 2; end -= maxLength) {
                kept.add(sequence.subList(Math.max(0, end - maxLength - 1), end));
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException(
                    "training data: expected at least one user with 2 or more training events,"
                            + " found none among "
                            + sequences.size()
                            + " users");
        }
        return kept;
    }

    /** Next-event targets: n-1 per sequence, at most maxLength. */
    static long positionsOf(List<List<JourneyStep>> sequences, int maxLength) {
        long positions = 0;
        for (List<JourneyStep> sequence : sequences) {
            positions += Math.min(maxLength, sequence.size() - 1);
        }
        return positions;
    }

    private static int longest(List<List<JourneyStep>> batch) {
        int longest = 2;
        for (List<JourneyStep> sequence : batch) {
            longest = Math.max(longest, sequence.size());
        }
        return longest;
    }

    /** The run's mutable bookkeeping. */
    private static final class State {
        private final long started = System.nanoTime();
        private final List<Checkpoint> history = new ArrayList<>();
        private Map<String, NDArray> bestWeights;
        private RankingResult bestValidation;
        private int bestEpoch;
        private int evaluationsSinceBest;
        private int epochsRun;
        private int lastEvaluatedEpoch;
        private double trainSeconds;
        private long tokens;

        /** Records a validation; keeps the weights if it is the best so far. */
        boolean offer(GptTrainer trainer, int epoch, double loss, RankingResult validation) {
            history.add(new Checkpoint(epoch, loss, validation));
            lastEvaluatedEpoch = epoch;
            if (bestValidation != null
                    && validation.sampledNdcg() <= bestValidation.sampledNdcg()) {
                evaluationsSinceBest++;
                return false;
            }
            if (bestWeights != null) {
                bestWeights.values().forEach(NDArray::close);
            }
            bestWeights = trainer.copyWeights();
            bestValidation = validation;
            bestEpoch = epoch;
            evaluationsSinceBest = 0;
            return true;
        }

        RankingResult lastValidation() {
            return history.get(history.size() - 1).validation();
        }

        double elapsedSeconds() {
            return (System.nanoTime() - started) / 1e9;
        }
    }
}
