package io.nextlog.trainer.cli;

import io.nextlog.bundle.BundleReader;
import io.nextlog.bundle.ModelBundle;
import io.nextlog.bundle.ModelConfig;
import io.nextlog.bundle.ModelProvenance;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.tokenize.JourneyTokenizer;
import io.nextlog.tokenize.TokenizerSpec;
import io.nextlog.tokenize.Vocabulary;
import io.nextlog.trainer.GptTrainer;
import io.nextlog.trainer.InputAblation;
import io.nextlog.trainer.Prediction;
import io.nextlog.trainer.TrainingOptions;
import io.nextlog.trainer.TrainingRecord;
import io.nextlog.trainer.TrainingRun;
import io.nextlog.trainer.data.DataFormatException;
import io.nextlog.trainer.data.DataSummary;
import io.nextlog.trainer.data.SequenceFiles;
import io.nextlog.trainer.data.UserSequence;
import io.nextlog.trainer.eval.LeaveOneOutEvaluator;
import io.nextlog.trainer.eval.LeaveOneOutSplit;
import io.nextlog.trainer.eval.MostPopularScorer;
import io.nextlog.trainer.eval.RankingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The trainer's command line: {@code train}, {@code evaluate}, {@code export}, {@code inspect} and
 * {@code bench}. {@code --help} (alone or after a subcommand) prints the usage. Exit status 0 on
 * success, 2 for bad flags or bad input (the message names flag, file and line), 1 otherwise.
 */
public final class TrainerCommand {

    static final String USAGE =
            """
            usage: TrainerCommand <command> [flags]

            commands:
              train     train on a data set, evaluate (SASRec leave-one-out), write a bundle
              evaluate  rank the test targets with a bundle and the most-popular baseline;
                        without --bundle only the baseline
              export    write a bundle's ONNX graph, freshly exported from its checkpoint
              inspect   print a bundle's manifest, training record and a few predictions
              bench     training throughput (tokens/s) of d 50 / 2 blocks and ModelConfig.BENCH
              follow    fine-tune the live model on training-examples and release validated
                        children; the only writer of model-releases; serves --http-port
              releases  list releases (default) or --rollback [--to V] [--reason R], by asking
                        the follow process at --trainer-url (default http://127.0.0.1:8092)

            data flags (train, evaluate, inspect):
              --data FILE            journey file or ratings file (required for train, evaluate)
              --format F             journeys (default) or ratings ('user item rating timestamp')
              --eval-seed N          seed of the 100 sampled negatives per user (default 42)

            train flags:
              --out DIR              bundle directory to write (must not exist); none: no bundle
              --seed N               initialisation, dropout, batching, negatives (default 1)
              --dim C  --blocks L  --heads H  --mlp M  --max-length T
                                     architecture (default 64, 2, 2, 4*C, 200)
              --gap-buckets N  --domain-slots N   tokenizer (default 32, 16)
              --epochs N             most epochs (default 200)
              --batch-size B         (default 128)
              --lr X                 peak learning rate (default 0.001)
              --warmup-steps N       linear warm-up (default 100)
              --final-lr-ratio X     cosine decay to lr*X at the last epoch (default 0.1)
              --weight-decay X       AdamW decay (default 0)
              --dropout X            (default 0.2)
              --negatives K          0: full softmax (default); K: sampled softmax over K
              --eval-every N         validate every N epochs (default 5)
              --patience N           stop after N validations without better NDCG@10 (default 4)
              --ablation A           none (default), no_domain or no_gap
              --clip-norm X          clip gradients to global L2 norm X; 0: off (default 1)
              --weight-averaging D   validate and keep a moving average of the weights with
                                     decay D, e.g. 0.999; 0: the weights as trained (default)
              --item-dropout P       replace each input item by the unknown id with probability
                                     P in training (default 0)
              --model-version V      (default: the bundle directory's name)
              --reserved-slots N     free vocabulary ids for items first seen later, which
                                     follow mode gives to new catalog items (default 0)
              --no-progress          no progress bar, only validation lines

            evaluate / export / inspect flags:
              --bundle DIR           the bundle
              --out FILE             export: the ONNX file to write
              --users N              inspect: users to predict for (default 3)

            bench flags:
              --steps N              timed steps per model (default 10, after 2 warm-up steps)

            follow flags:
              --bootstrap-servers H:P --registry-url URL   Kafka and the schema registry
              --live-bundle DIR      bundle to release first when model-releases is empty
              --store DIR            model store folder shared with the scorers
              --work-dir DIR         local folder for candidates before validation
              --publish-interval-s X (default 10)   --lr X (default 0.003)
              --batch-size B (default 32)   --steps-per-batch N (default 2)
              --replay-per-batch N (default 16)   --group G (default nextlog-trainer)
              --holdout-percent P (default 10)   --min-holdout N (default 50)
              --tolerance X          held-out HR@10/NDCG@10 drop allowed (default 0.02)
              --baseline-arms A,B    arms of the pinned baseline (default holdout)
              --guard-min-impressions N (default 500)   --guard-max-drop X (default 0.3)
              --guard-maturity-s N   count a metrics window N s after it ends (default 120)
              --http-port P          releases, rollback and metrics (default 8092)
              --http-host H          address it binds (default 127.0.0.1; 0.0.0.0 in a pod)
            """;

    private static final Set<String> DATA_FLAGS = Set.of("--data", "--format", "--eval-seed");

    private TrainerCommand() {}

    /** Runs a command and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] flags = Arrays.copyOfRange(args, 1, args.length);
        if (Arrays.asList(flags).contains("--help")) {
            out.print(USAGE);
            return 0;
        }
        try {
            switch (args[0]) {
                case "train" -> train(flags, out, err);
                case "evaluate" -> evaluate(flags, out);
                case "export" -> export(flags, out);
                case "inspect" -> inspect(flags, out);
                case "bench" -> TrainingBench.run(flags, out);
                case "follow" -> FollowCommand.follow(flags, out);
                case "releases" -> FollowCommand.releases(flags, out);
                default ->
                        throw new IllegalArgumentException(
                                "command: expected train, evaluate, export, inspect, bench, follow"
                                        + " or releases, found"
                                        + " '"
                                        + args[0]
                                        + "'");
            }
            return 0;
        } catch (IllegalArgumentException | DataFormatException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private static void train(String[] args, PrintStream out, PrintStream err) throws IOException {
        CommandLine line =
                CommandLine.parse(
                        "train",
                        args,
                        union(
                                DATA_FLAGS,
                                Set.of(
                                        "--out",
                                        "--seed",
                                        "--dim",
                                        "--blocks",
                                        "--heads",
                                        "--mlp",
                                        "--max-length",
                                        "--gap-buckets",
                                        "--domain-slots",
                                        "--epochs",
                                        "--batch-size",
                                        "--lr",
                                        "--warmup-steps",
                                        "--final-lr-ratio",
                                        "--weight-decay",
                                        "--dropout",
                                        "--negatives",
                                        "--eval-every",
                                        "--patience",
                                        "--ablation",
                                        "--model-version",
                                        "--reserved-slots",
                                        "--clip-norm",
                                        "--weight-averaging",
                                        "--item-dropout")),
                        Set.of("--no-progress"));
        Data data = Data.load(line, null, line.integer("--reserved-slots", 0));
        Path bundleDir = line.has("--out") ? Path.of(line.required("--out")) : null;
        if (bundleDir != null && Files.exists(bundleDir)) {
            throw new IllegalArgumentException(
                    "train --out: expected a directory that does not exist, found " + bundleDir);
        }
        long seed = line.longValue("--seed", 1);
        ModelConfig config = modelConfig(line, data.vocabulary.size());
        TrainingOptions options = trainingOptions(line);
        out.println("data: " + data.summary);
        out.println("model: " + config);
        out.println("options: " + options + ", seed " + seed);

        TrainingRun.Result result =
                TrainingRun.train(
                        config,
                        options,
                        seed,
                        data.split,
                        data.vocabulary,
                        data.evaluator,
                        new ProgressBar(err, !line.has("--no-progress")));
        try (GptTrainer trainer = result.trainer()) {
            RankingResult test =
                    data.evaluator.evaluate(
                            trainer.scorer(data.tokenizer(config)),
                            LeaveOneOutEvaluator.Target.TEST);
            RankingResult popular = data.mostPopular(LeaveOneOutEvaluator.Target.TEST);
            out.printf(
                    Locale.ROOT,
                    "trained %d epochs in %.0f s (%,.0f tokens/s); best validation epoch %d: %s%n",
                    result.epochsRun(),
                    result.wallSeconds(),
                    result.tokensPerSecond(),
                    result.bestEpoch(),
                    result.bestValidation());
            out.println("test GPT:          " + test);
            out.println("test most-popular: " + popular);
            if (bundleDir != null) {
                TrainingRecord record =
                        new TrainingRecord(
                                TrainingRecord.CURRENT_FORMAT,
                                seed,
                                config,
                                options,
                                data.summary,
                                data.evaluationSeed,
                                result.epochsRun(),
                                result.bestEpoch(),
                                result.trainingPositions(),
                                result.tokensPerSecond(),
                                result.wallSeconds(),
                                result.history(),
                                test,
                                popular);
                String version = line.string("--model-version", bundleDir.getFileName().toString());
                ModelProvenance provenance =
                        new ModelProvenance(
                                version,
                                null,
                                Instant.now(),
                                data.summary.span(),
                                config,
                                seed,
                                result.bestValidation().asMap("validation."));
                trainer.writeBundle(bundleDir, provenance, data.vocabulary, record);
                out.println("bundle: " + bundleDir);
            }
        }
    }

    private static void evaluate(String[] args, PrintStream out) throws IOException {
        CommandLine line =
                CommandLine.parse(
                        "evaluate", args, union(DATA_FLAGS, Set.of("--bundle")), Set.of());
        if (!line.has("--bundle")) {
            Data data = Data.load(line);
            out.println("data: " + data.summary);
            out.println(
                    "validation most-popular: "
                            + data.mostPopular(LeaveOneOutEvaluator.Target.VALIDATION));
            out.println(
                    "test most-popular:       "
                            + data.mostPopular(LeaveOneOutEvaluator.Target.TEST));
            return;
        }
        ModelBundle bundle = BundleReader.read(Path.of(line.required("--bundle")));
        Data data = Data.load(line, bundle.vocabulary());
        out.println("data: " + data.summary);
        out.println("model: " + bundle.modelVersion() + " " + bundle.config());
        try (GptTrainer trainer =
                GptTrainer.restore(bundle.config(), bundle.checkpointDirectory())) {
            for (LeaveOneOutEvaluator.Target target : LeaveOneOutEvaluator.Target.values()) {
                RankingResult gpt =
                        data.evaluator.evaluate(trainer.scorer(bundle.tokenizer()), target);
                String name = target.name().toLowerCase(Locale.ROOT);
                out.println(name + " GPT:          " + gpt);
                out.println(name + " most-popular: " + data.mostPopular(target));
            }
        }
    }

    private static void export(String[] args, PrintStream out) throws IOException {
        CommandLine line = CommandLine.parse("export", args, Set.of("--bundle", "--out"), Set.of());
        ModelBundle bundle = BundleReader.read(Path.of(line.required("--bundle")));
        Path target = Path.of(line.required("--out"));
        try (GptTrainer trainer =
                GptTrainer.restore(bundle.config(), bundle.checkpointDirectory())) {
            byte[] onnx = trainer.exportOnnx();
            Files.write(target, onnx);
            out.printf(
                    Locale.ROOT,
                    "wrote %s: %,d bytes, model %s%n",
                    target,
                    onnx.length,
                    bundle.modelVersion());
        }
    }

    private static void inspect(String[] args, PrintStream out) throws IOException {
        CommandLine line =
                CommandLine.parse(
                        "inspect",
                        args,
                        union(DATA_FLAGS, Set.of("--bundle", "--users")),
                        Set.of());
        ModelBundle bundle = BundleReader.read(Path.of(line.required("--bundle")));
        out.println("== " + bundle.directory().resolve(ModelBundle.MANIFEST_FILE));
        out.println(Files.readString(bundle.directory().resolve(ModelBundle.MANIFEST_FILE)));
        Path record = bundle.checkpointDirectory().resolve(TrainingRecord.FILE);
        if (Files.exists(record)) {
            out.println("== " + record);
            out.println(Files.readString(record));
        }

        List<List<JourneyStep>> journeys = inspectJourneys(line, bundle.vocabulary());
        try (GptTrainer trainer =
                GptTrainer.restore(bundle.config(), bundle.checkpointDirectory())) {
            Prediction prediction = trainer.predict(bundle.tokenizer().tokenize(journeys));
            out.println("== predictions (newest 3 events -> top 5 next items)");
            for (int row = 0; row < journeys.size(); row++) {
                printPrediction(out, journeys.get(row), prediction.scoresOf(row), bundle);
            }
        }
    }

    /** The first users of --data, or else one-event journeys of the first vocabulary items. */
    private static List<List<JourneyStep>> inspectJourneys(CommandLine line, Vocabulary vocabulary)
            throws IOException {
        int count = line.integer("--users", 3);
        if (line.has("--data")) {
            List<UserSequence> users =
                    SequenceFiles.read(
                            Path.of(line.required("--data")),
                            SequenceFiles.Format.parse(line.string("--format", "journeys")));
            return users.stream().limit(count).map(UserSequence::steps).toList();
        }
        return vocabulary.items().stream()
                .limit(count)
                .map(item -> List.of(new JourneyStep(item, Domain.APP_USE, Instant.EPOCH)))
                .toList();
    }

    private static void printPrediction(
            PrintStream out, List<JourneyStep> journey, float[] scores, ModelBundle bundle) {
        List<String> newest =
                journey.subList(Math.max(0, journey.size() - 3), journey.size()).stream()
                        .map(JourneyStep::getItem)
                        .toList();
        Integer[] ids = new Integer[bundle.vocabulary().items().size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = Vocabulary.FIRST_ITEM_ID + i;
        }
        Arrays.sort(ids, (a, b) -> Float.compare(scores[b], scores[a]));
        StringBuilder top = new StringBuilder();
        for (int i = 0; i < Math.min(5, ids.length); i++) {
            String item = bundle.vocabulary().itemOf(ids[i]).orElse("?");
            top.append(String.format(Locale.ROOT, " %s (%.2f)", item, scores[ids[i]]));
        }
        out.println("  ..." + newest + " ->" + top);
    }

    private static ModelConfig modelConfig(CommandLine line, int vocabularySize) {
        int dim = line.integer("--dim", 64);
        TokenizerSpec spec =
                new TokenizerSpec(
                        line.integer("--max-length", 200),
                        line.integer("--gap-buckets", 32),
                        line.integer("--domain-slots", 16));
        return new ModelConfig(
                vocabularySize,
                spec,
                dim,
                line.integer("--blocks", 2),
                line.integer("--heads", 2),
                line.integer("--mlp", 4 * dim));
    }

    private static TrainingOptions trainingOptions(CommandLine line) {
        TrainingOptions d = TrainingOptions.DEFAULTS;
        String ablation = line.string("--ablation", "none");
        InputAblation parsed;
        try {
            parsed = InputAblation.valueOf(ablation.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "train --ablation: expected none, no_domain or no_gap, found '"
                            + ablation
                            + "'");
        }
        return new TrainingOptions(
                line.integer("--epochs", d.maxEpochs()),
                line.integer("--batch-size", d.batchSize()),
                line.decimal("--lr", d.learningRate()),
                line.integer("--warmup-steps", d.warmupSteps()),
                line.decimal("--final-lr-ratio", d.finalLearningRateRatio()),
                line.decimal("--weight-decay", d.weightDecay()),
                line.decimal("--dropout", d.dropoutRate()),
                line.integer("--negatives", d.sampledNegatives()),
                line.integer("--eval-every", d.evaluateEveryEpochs()),
                line.integer("--patience", d.patience()),
                parsed,
                line.decimal("--clip-norm", d.maxGradientNorm()),
                line.decimal("--weight-averaging", d.weightAveraging()),
                line.decimal("--item-dropout", d.itemDropout()));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    /** A data set read, split and ready to evaluate on. */
    private static final class Data {
        private final DataSummary summary;
        private final LeaveOneOutSplit split;
        private final Vocabulary vocabulary;
        private final LeaveOneOutEvaluator evaluator;
        private final long evaluationSeed;

        private Data(
                DataSummary summary,
                LeaveOneOutSplit split,
                Vocabulary vocabulary,
                long evaluationSeed) {
            this.summary = summary;
            this.split = split;
            this.vocabulary = vocabulary;
            this.evaluationSeed = evaluationSeed;
            this.evaluator = new LeaveOneOutEvaluator(split, vocabulary, evaluationSeed);
        }

        /** Reads the data and builds a vocabulary of every item in it. */
        static Data load(CommandLine line) throws IOException {
            return load(line, null, 0);
        }

        static Data load(CommandLine line, Vocabulary vocabulary) throws IOException {
            return load(line, vocabulary, 0);
        }

        /**
         * Reads the data; the vocabulary is the given one or, when null, every item of the data
         * (the SASRec protocol ranks over the whole item set, so items seen only as a validation or
         * test target get ids too; their embeddings learn only as negatives).
         */
        static Data load(CommandLine line, Vocabulary vocabulary, int reservedSlots)
                throws IOException {
            Path file = Path.of(line.required("--data"));
            SequenceFiles.Format format =
                    SequenceFiles.Format.parse(line.string("--format", "journeys"));
            List<UserSequence> users = SequenceFiles.read(file, format);
            DataSummary summary =
                    DataSummary.of(file.toString(), format.name().toLowerCase(Locale.ROOT), users);
            Vocabulary used = vocabulary != null ? vocabulary : vocabularyOf(users, reservedSlots);
            return new Data(
                    summary, LeaveOneOutSplit.of(users), used, line.longValue("--eval-seed", 42));
        }

        private static Vocabulary vocabularyOf(List<UserSequence> users, int reservedSlots) {
            Map<String, Long> counts = new HashMap<>();
            for (UserSequence user : users) {
                for (JourneyStep step : user.steps()) {
                    counts.merge(step.getItem(), 1L, Long::sum);
                }
            }
            return Vocabulary.fromCounts(counts, 1, reservedSlots);
        }

        JourneyTokenizer tokenizer(ModelConfig config) {
            return new JourneyTokenizer(vocabulary, config.tokenizer());
        }

        RankingResult mostPopular(LeaveOneOutEvaluator.Target target) {
            return evaluator.evaluate(
                    MostPopularScorer.fit(split.trainingSequences(), vocabulary), target);
        }
    }
}
