package io.nextlog.trainer.cli;

import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.trainer.follow.FollowSettings;
import io.nextlog.trainer.follow.FollowTrainer;
import io.nextlog.trainer.release.DirectoryModelStore;
import io.nextlog.trainer.release.HaltingModelStore;
import io.nextlog.trainer.release.HoldoutGuard;
import io.nextlog.trainer.release.HoldoutJudge;
import io.nextlog.trainer.release.ModelStore;
import io.nextlog.trainer.release.ReleaseHttpServer;
import io.nextlog.trainer.release.ReleaseManager;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code follow}: the trainer in follow mode with its release manager, holdout guard and HTTP
 * endpoint in one process; and {@code releases}: the command line's questions to that endpoint.
 */
final class FollowCommand {

    static final Set<String> FOLLOW_FLAGS =
            Set.of(
                    "--bootstrap-servers",
                    "--registry-url",
                    "--live-bundle",
                    "--store",
                    "--work-dir",
                    "--group",
                    "--publish-interval-s",
                    "--lr",
                    "--batch-size",
                    "--steps-per-batch",
                    "--replay-per-batch",
                    "--holdout-percent",
                    "--min-holdout",
                    "--tolerance",
                    "--baseline-arms",
                    "--guard-min-impressions",
                    "--guard-max-drop",
                    "--guard-maturity-s",
                    "--http-host",
                    "--http-port");

    private FollowCommand() {}

    static void follow(String[] args, PrintStream out) throws IOException {
        CommandLine line = CommandLine.parse("follow", args, FOLLOW_FLAGS, Set.of());
        FollowSettings d =
                FollowSettings.defaults(
                        line.required("--bootstrap-servers"),
                        line.required("--registry-url"),
                        Path.of(line.required("--live-bundle")),
                        Path.of(line.required("--work-dir")));
        FollowSettings settings =
                new FollowSettings(
                        d.bootstrapServers(),
                        d.registryUrl(),
                        d.initialBundle(),
                        d.workDirectory(),
                        line.string("--group", d.groupId()),
                        Duration.ofMillis(
                                (long)
                                        (1000
                                                * line.decimal(
                                                        "--publish-interval-s",
                                                        d.publishInterval().toMillis() / 1000f))),
                        line.decimal("--lr", d.learningRate()),
                        line.integer("--batch-size", d.batchSize()),
                        line.integer("--steps-per-batch", d.stepsPerBatch()),
                        line.integer("--replay-per-batch", d.replayPerBatch()),
                        d.replayCapacity(),
                        line.integer("--holdout-percent", d.holdoutPercent()),
                        d.holdoutCapacity(),
                        line.integer("--min-holdout", d.minHoldout()),
                        line.decimal("--tolerance", (float) d.tolerance()),
                        Set.copyOf(
                                Arrays.asList(
                                        line.string(
                                                        "--baseline-arms",
                                                        String.join(",", d.baselineArms()))
                                                .split(","))),
                        line.longValue("--guard-min-impressions", d.guardMinImpressions()),
                        line.decimal("--guard-max-drop", (float) d.guardMaxRelativeDrop()),
                        Duration.ofSeconds(
                                line.longValue(
                                        "--guard-maturity-s", d.guardMaturity().toSeconds())),
                        d.guardLookback(),
                        d.seed());
        SchemaRegistryClient registry = new SchemaRegistryClient(settings.registryUrl());
        ModelStore store =
                HaltingModelStore.wrapIfAsked(
                        new DirectoryModelStore(Path.of(line.required("--store"))));
        CountDownLatch stopped = new CountDownLatch(1);
        try (ReleaseManager manager =
                        ReleaseManager.start(
                                settings.bootstrapServers(),
                                registry,
                                ReleaseManager.DEFAULT_TRANSACTIONAL_ID,
                                Duration.ofSeconds(60));
                FollowTrainer follower = FollowTrainer.start(settings, store, manager, registry);
                HoldoutGuard guard =
                        new HoldoutGuard(
                                settings.bootstrapServers(),
                                registry,
                                manager,
                                new HoldoutJudge(
                                        settings.baselineArms(),
                                        settings.guardMinImpressions(),
                                        settings.guardMaxRelativeDrop(),
                                        settings.guardMaturity()),
                                settings.guardLookback());
                ReleaseHttpServer http =
                        new ReleaseHttpServer(
                                line.string("--http-host", "127.0.0.1"),
                                line.integer("--http-port", 8092),
                                manager,
                                guard::lastVerdict,
                                () -> samples(follower, guard, manager))) {
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        follower.stop();
                                        try {
                                            stopped.await();
                                        } catch (InterruptedException e) {
                                            Thread.currentThread().interrupt();
                                        }
                                    },
                                    "follow-shutdown"));
            out.println(
                    "ready http://" + line.string("--http-host", "127.0.0.1") + ":" + http.port());
            out.flush();
            try {
                follower.run();
            } finally {
                stopped.countDown();
            }
        }
    }

    private static Map<String, Double> samples(
            FollowTrainer follower, HoldoutGuard guard, ReleaseManager manager) {
        FollowTrainer.FollowMetrics m = follower.metrics();
        Map<String, Double> samples = new LinkedHashMap<>();
        samples.put("nextlog_trainer_examples_total", (double) m.consumed.get());
        samples.put("nextlog_trainer_examples_trained_total", (double) m.trained.get());
        samples.put("nextlog_trainer_examples_skipped_total", (double) m.skipped.get());
        samples.put("nextlog_trainer_steps_total", (double) m.steps.get());
        samples.put("nextlog_trainer_releases_total{kind=\"publish\"}", (double) m.published.get());
        samples.put("nextlog_trainer_rollbacks_total", (double) guard.rollbacks());
        samples.put("nextlog_trainer_validation_refused_total", (double) m.refused.get());
        samples.put(
                "nextlog_trainer_bad_records_total",
                (double) (m.badRecords.get() + guard.badRecords() + manager.badRecords()));
        samples.put("nextlog_trainer_last_publish_seconds", m.lastPublishMillis / 1000.0);
        manager.live()
                .ifPresent(
                        live ->
                                samples.put(
                                        "nextlog_trainer_live_release_age_seconds",
                                        (System.currentTimeMillis()
                                                        - live.getPublishedAt().toEpochMilli())
                                                / 1000.0));
        return samples;
    }

    static void releases(String[] args, PrintStream out) throws IOException {
        CommandLine line =
                CommandLine.parse(
                        "releases",
                        args,
                        Set.of("--trainer-url", "--to", "--reason"),
                        Set.of("--rollback"));
        String base = line.string("--trainer-url", "http://127.0.0.1:8092");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request;
        if (line.has("--rollback")) {
            Map<String, String> body = new LinkedHashMap<>();
            if (line.has("--to")) {
                body.put("to", line.required("--to"));
            }
            body.put("reason", line.string("--reason", "by hand"));
            String json =
                    new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(body);
            request =
                    HttpRequest.newBuilder(URI.create(base + "/v1/releases/rollback"))
                            .POST(HttpRequest.BodyPublishers.ofString(json))
                            .header("Content-Type", "application/json")
                            .build();
        } else {
            request = HttpRequest.newBuilder(URI.create(base + "/v1/releases")).GET().build();
        }
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted asking " + base, e);
        }
        out.println(response.body());
        if (response.statusCode() != 200) {
            throw new IllegalArgumentException(
                    "release manager at " + base + ": answered " + response.statusCode());
        }
    }
}
