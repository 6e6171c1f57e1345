package io.nextlog.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Command-line options of the launcher.
 *
 * @param home root of the nextlog source tree (holds the built modules)
 * @param stateDir where data and logs go ({@code <home>/.nextlog} by default)
 * @param resume keep the previous run's state instead of starting clean
 * @param kafkaPort client port of the local broker
 * @param registryPort HTTP port of the local registry
 * @param duration stop by itself after this long, or null to run until Ctrl-C
 * @param ports HTTP ports of the scorer, the feedback updater, the trainer and Flink's REST
 *     endpoint
 * @param world size and pace of the synthetic world, and of the pre-training on it
 * @param job the Flink job's delivery guarantee, checkpoint interval and debounce
 */
record LauncherOptions(
        Path home,
        Path stateDir,
        boolean resume,
        int kafkaPort,
        int registryPort,
        @Nullable Duration duration,
        ServicePorts ports,
        WorldSettings world,
        JobSettings job) {

    static final String USAGE =
            "usage: nextlog demo [--resume] [--kafka-port 9092] [--registry-port 8081]"
                    + " [--scorer-port 8091] [--updater-port 8090] [--trainer-port 8092]"
                    + " [--flink-port 8083] [--publish-interval-s 10] [--holdout-share 0.05]"
                    + " [--shift-after-s N] [--shift-responses-only] [--fatigue-window-s 86400]"
                    + " [--seed 42]"
                    + " [--customers 2000] [--rate 100] [--pretrain-events 100000]"
                    + " [--pretrain-epochs 3] [--delivery exactly-once|at-least-once]"
                    + " [--checkpoint-ms 5000] [--debounce-ms 1000] [--job key=value ...]"
                    + " [--duration-s N]"
                    + " [--state-dir DIR]";

    /**
     * The Flink job: {@code exactly-once} makes its outputs visible to read-committed readers at
     * each checkpoint, {@code at-least-once} at once; debounce is the least time between two
     * scorings of one customer; overrides are further {@code key=value} options of the job (its
     * {@code IngestConfig}), such as {@code policy.cooldown=PT1M}.
     */
    record JobSettings(
            String delivery,
            Duration checkpointInterval,
            Duration debounce,
            List<String> overrides) {}

    /** HTTP ports of the services. */
    record ServicePorts(int scorer, int updater, int trainer, int flink) {}

    /**
     * The synthetic world: customers, events per second in Kafka mode, and the journeys the initial
     * model is pre-trained on (same seed, so the live customers are those it learned), and how
     * often the trainer in follow mode releases a fine-tuned child, the share of customers in the
     * holdout arm (served by the pinned pre-trained model), when a group of customers changes taste
     * (seconds after the world starts; negative for never) and whether in their answers to offers
     * only (their journeys then stay as they were), and how far back a customer's contacts count
     * towards their fatigue. The demo compresses a customer's days into minutes (a look at each
     * slot a minute), so a run of minutes that compares arms wants a window of minutes too; with a
     * day, fatigue only grows and every arm's click rate sinks alike.
     */
    record WorldSettings(
            int customers,
            int eventsPerSecond,
            int pretrainEvents,
            int pretrainEpochs,
            int publishIntervalSeconds,
            double holdoutShare,
            int shiftAfterSeconds,
            boolean shiftResponsesOnly,
            int fatigueWindowSeconds,
            long seed) {}

    static LauncherOptions parse(String[] args) {
        if (args.length == 0 || !args[0].equals("demo")) {
            throw new IllegalArgumentException(
                    "expected the command 'demo', found " + (args.length == 0 ? "none" : args[0]));
        }
        Path home = Path.of(System.getProperty("nextlog.home", ".")).toAbsolutePath().normalize();
        boolean resume = false;
        int kafkaPort = 9092;
        int registryPort = 8081;
        Duration duration = null;
        Path stateDir = home.resolve(".nextlog");
        int scorerPort = 8091;
        int updaterPort = 8090;
        int trainerPort = 8092;
        int flinkPort = 8083;
        int publishInterval = 10;
        double holdoutShare = 0.05;
        int shiftAfter = -1;
        int fatigueWindow = 86_400;
        boolean shiftResponsesOnly = false;
        long seed = Launcher.WORLD_SEED;
        int customers = 2000;
        int rate = 100;
        int pretrainEvents = 100_000;
        int pretrainEpochs = 3;
        String delivery = "exactly-once";
        int checkpointMs = 5_000;
        int debounceMs = 1_000;
        List<String> jobOverrides = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--scorer-port" -> scorerPort = port(args, ++i);
                case "--updater-port" -> updaterPort = port(args, ++i);
                case "--trainer-port" -> trainerPort = port(args, ++i);
                case "--flink-port" -> flinkPort = port(args, ++i);
                case "--publish-interval-s" -> publishInterval = number(args, ++i);
                case "--holdout-share" -> holdoutShare = share(args, ++i);
                case "--shift-after-s" -> shiftAfter = number(args, ++i);
                case "--fatigue-window-s" -> fatigueWindow = number(args, ++i);
                case "--shift-responses-only" -> shiftResponsesOnly = true;
                case "--seed" -> seed = number(args, ++i);
                case "--customers" -> customers = number(args, ++i);
                case "--rate" -> rate = number(args, ++i);
                case "--pretrain-events" -> pretrainEvents = number(args, ++i);
                case "--pretrain-epochs" -> pretrainEpochs = number(args, ++i);
                case "--delivery" -> delivery = delivery(args, ++i);
                case "--checkpoint-ms" -> checkpointMs = number(args, ++i);
                case "--debounce-ms" -> debounceMs = number(args, ++i);
                case "--job" -> jobOverrides.add(keyValue(args, ++i));
                case "--resume" -> resume = true;
                case "--kafka-port" -> kafkaPort = port(args, ++i);
                case "--registry-port" -> registryPort = port(args, ++i);
                case "--duration-s" -> duration = Duration.ofSeconds(number(args, ++i));
                case "--state-dir" -> stateDir = Path.of(value(args, ++i)).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new LauncherOptions(
                home,
                stateDir,
                resume,
                kafkaPort,
                registryPort,
                duration,
                new ServicePorts(scorerPort, updaterPort, trainerPort, flinkPort),
                new WorldSettings(
                        customers,
                        rate,
                        pretrainEvents,
                        pretrainEpochs,
                        publishInterval,
                        holdoutShare,
                        shiftAfter,
                        shiftResponsesOnly,
                        fatigueWindow,
                        seed),
                new JobSettings(
                        delivery,
                        Duration.ofMillis(checkpointMs),
                        Duration.ofMillis(debounceMs),
                        List.copyOf(jobOverrides)));
    }

    private static String keyValue(String[] args, int i) {
        String option = value(args, i);
        if (option.indexOf('=') < 1) {
            throw new IllegalArgumentException(
                    args[i - 1] + ": expected key=value, found '" + option + "'");
        }
        return option;
    }

    private static String delivery(String[] args, int i) {
        String delivery = value(args, i);
        if (!delivery.equals("exactly-once") && !delivery.equals("at-least-once")) {
            throw new IllegalArgumentException(
                    args[i - 1] + ": expected exactly-once or at-least-once, found " + delivery);
        }
        return delivery;
    }

    private static double share(String[] args, int i) {
        double share = Double.parseDouble(value(args, i));
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException(
                    args[i - 1] + ": expected a share in (0, 1), found " + args[i]);
        }
        return share;
    }

    private static int port(String[] args, int i) {
        int port = number(args, i);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(
                    args[i - 1] + ": expected a port 1-65535, found " + port);
        }
        return port;
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + ": expected a value, found none");
        }
        return args[i];
    }

    private static int number(String[] args, int i) {
        value(args, i);
        try {
            return Integer.parseInt(args[i]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    args[i - 1] + ": expected a number, found '" + args[i] + "'");
        }
    }
}
