package io.nextlog.world;

import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.topic.TopicCatalog;
import io.nextlog.schemas.topic.TopicCreator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The synthetic world's command: writes a journey file, publishes to Kafka, or only prints the
 * distribution summary. Run with {@code --help} for the flags ({@link CommandOptions}).
 *
 * <p>Exits 0 on success, 1 when the work failed, 2 on bad flags.
 */
public final class WorldCommand {

    private final PrintStream out;

    private WorldCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        CommandOptions options;
        try {
            options = CommandOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(CommandOptions.usage());
            System.exit(2);
            return;
        }
        if (options.has("help")) {
            System.out.print(CommandOptions.usage());
            return;
        }
        try {
            new WorldCommand(System.out).run(options);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (IOException | RuntimeException e) {
            e.printStackTrace();
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(1);
        }
    }

    private void run(CommandOptions options) throws IOException, InterruptedException {
        boolean kafka = options.has("bootstrap-servers");
        if (kafka && !options.has("registry-url")) {
            throw new IllegalArgumentException(
                    "--registry-url: expected the registry base URL with --bootstrap-servers,"
                            + " found none");
        }
        WorldConfig config = config(options, kafka);
        SyntheticWorld world = SyntheticWorld.create(config);
        out.printf(
                "world: seed %d, %,d customers, %,d events, %d days from %s%n",
                config.seed(), config.customers(), config.events(), config.days(), config.start());
        if (config.preferenceShift() != null) {
            PreferenceShift shift = config.preferenceShift();
            out.printf(
                    "preference shift at %s: %.0f%% of customers move %.0f%% of their taste to"
                            + " %s%s%n",
                    shift.at(),
                    100 * shift.customerFraction(),
                    100 * shift.strength(),
                    shift.towards(),
                    shift.inBehavior() ? "" : ", in their responses only");
        }
        if (kafka) {
            runLive(world, options);
        } else {
            generate(world, options.get("out").map(Path::of).orElse(null));
        }
    }

    /** Builds the world's configuration from the flags. */
    static WorldConfig config(CommandOptions options, boolean kafka) {
        WorldConfig.Builder builder =
                WorldConfig.builder()
                        .seed(options.getLong("seed", Long.MIN_VALUE))
                        .customers((int) options.getLong("customers", 1))
                        .events(options.getLong("events", 0))
                        .start(start(options, kafka))
                        .trendingCampaign(options.has("trending-campaign"));
        if (options.has("days")) {
            builder.days((int) options.getLong("days", 1));
        }
        if (options.has("planted-causes")) {
            builder.plantedCauses(PlantedCause.defaults());
        }
        WorldConfig draft = builder.build();
        if (options.has("campaign-at-day")) {
            builder.newCampaignAt(dayStart(draft, options.getLong("campaign-at-day", 0)));
        }
        if (options.has("shift-at-day") || options.has("shift-after-s")) {
            Instant at =
                    options.has("shift-after-s")
                            ? Instant.now().plusSeconds(options.getLong("shift-after-s", 0))
                            : dayStart(draft, options.getLong("shift-at-day", 0));
            builder.preferenceShift(
                    new PreferenceShift(
                            at,
                            options.getPositiveDouble("shift-fraction"),
                            Category.fromId(options.get("shift-towards").orElseThrow()),
                            options.getPositiveDouble("shift-strength"),
                            !options.has("shift-responses-only")));
        }
        return builder.build();
    }

    private static Instant start(CommandOptions options, boolean kafka) {
        if (options.has("start")) {
            String text = options.get("start").orElseThrow();
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "--start: expected an ISO instant like 2024-06-02T15:00:00Z, found '"
                                + text
                                + "'");
            }
        }
        if (kafka) {
            return LocalDate.now(WorldConfig.DEFAULT_ZONE)
                    .atStartOfDay(WorldConfig.DEFAULT_ZONE)
                    .toInstant();
        }
        return WorldConfig.DEFAULT_START;
    }

    private static Instant dayStart(WorldConfig config, long day) {
        return config.start().plus(Duration.ofDays(day));
    }

    /** Generates every journey, writes it to {@code file} when given, prints the summary. */
    private void generate(SyntheticWorld world, Path file) throws IOException {
        WorldSummary summary = new WorldSummary();
        long startNanos = System.nanoTime();
        if (file == null) {
            world.eventsByUser().forEach(summary::accept);
        } else {
            writeFile(world, file, summary);
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        out.printf(
                "generated %,d events in %.2f s: %,.0f events/s%n",
                summary.events(), seconds, summary.events() / seconds);
        if (file != null) {
            out.printf("wrote %s (%,d bytes)%n", file, Files.size(file));
        }
        out.print(summary.format());
    }

    private static void writeFile(SyntheticWorld world, Path file, WorldSummary summary)
            throws IOException {
        try (JourneyWriter writer = JourneyFiles.newWriter(file)) {
            Iterator<BehaviorEvent> events = world.eventsByUser().iterator();
            while (events.hasNext()) {
                BehaviorEvent event = events.next();
                writer.write(event);
                summary.accept(event);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void runLive(SyntheticWorld world, CommandOptions options) throws InterruptedException {
        String bootstrap = options.get("bootstrap-servers").orElseThrow();
        if (options.getBoolean("create-topics")) {
            createTopics(bootstrap);
        }
        LiveWorld.Settings settings =
                new LiveWorld.Settings(
                        bootstrap,
                        options.get("registry-url").orElseThrow(),
                        options.getPositiveDouble("rate"),
                        Duration.ofSeconds(options.getLong("duration-s", 1)),
                        "nextlog-synthetic-world",
                        options.get("answer-from").orElseThrow().equals("earliest"),
                        Duration.ofSeconds(options.getLong("answer-interval-s", 0)),
                        true,
                        Duration.ofSeconds(options.getLong("fatigue-window-s", 1)));
        try (LiveWorld live = new LiveWorld(world, settings, Clock.systemUTC())) {
            live.start();
            out.printf(
                    "ready %,.0f events/s to %s, answering recommendations with feedback%n",
                    settings.eventsPerSecond(), bootstrap);
            out.flush();
            LiveWorld.Report published = live.awaitPublished();
            out.printf(
                    "published %,d events in %.1f s: %,.0f events/s (target %,.0f)%n",
                    published.eventsSent(),
                    published.publishing().toMillis() / 1e3,
                    published.achievedEventsPerSecond(),
                    settings.eventsPerSecond());
            Thread.sleep(Duration.ofSeconds(options.getLong("answer-grace-s", 0)).toMillis());
            out.println(live.report());
        }
    }

    private void createTopics(String bootstrap) {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicCatalog topics = TopicCatalog.local();
            TopicCreator.Report report = new TopicCreator(admin).ensure(topics.all(), (short) 1);
            out.printf(
                    "topics: %d created, %d existing, mismatches %s%n",
                    report.created().size(), report.existing().size(), report.mismatches());
        }
    }
}
