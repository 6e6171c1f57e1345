package io.nextlog.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nextlog.infra.LocalInfra;
import io.nextlog.infra.LocalInfraExtension;
import io.nextlog.schemas.event.Contact;
import io.nextlog.schemas.event.ContactKind;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.ExampleLabel;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.schemas.event.RankedItem;
import io.nextlog.schemas.event.Recommendation;
import io.nextlog.schemas.event.RecommendationContext;
import io.nextlog.schemas.event.TrainingExample;
import io.nextlog.schemas.identity.Pseudonymizer;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import io.nextlog.schemas.serde.RegistryAvroSerializer;
import io.nextlog.schemas.topic.TopicCatalog;
import io.nextlog.schemas.topic.TopicCreator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the updater, each its own JVM, against the real broker and registry: the
 * per-user view answers for users on both, and killing one instance (SIGKILL) mid-stream and
 * restarting it still gives every training example exactly once.
 */
@ExtendWith(LocalInfraExtension.class)
class FeedbackUpdaterIT {

    private static final int USERS = 120;
    private static final Instant T0 = Instant.now().minusSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void shouldAnswerForEveryUserAndEmitEachExampleOnceAcrossAKill(LocalInfra infra)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            new TopicCreator(admin).ensure(TopicCatalog.local().all(), (short) 1);
        }
        String appId = "feedback-it-" + System.nanoTime();
        List<String> users = users();
        Instance first = Instance.start(infra, appId, dir.resolve("a"));
        Instance second = Instance.start(infra, appId, dir.resolve("b"));
        try {
            try (KafkaProducer<String, SpecificRecord> producer = producer(infra)) {
                for (int i = 0; i < USERS; i++) {
                    scored(producer, users.get(i), i);
                }
                producer.flush();
                for (int i = 0; i < USERS / 2; i++) {
                    respond(producer, users.get(i), i);
                }
                producer.flush();

                second.kill();
                second = Instance.start(infra, appId, dir.resolve("b"));

                for (int i = USERS / 2; i < USERS; i++) {
                    respond(producer, users.get(i), i);
                }
                producer.flush();
                // A task reads its input partitions in whatever order data is there, so the
                // updater must have read every response before stream time jumps: else a window
                // may close first and the response arrive late.
                awaitConsumed(infra, appId, TopicCatalog.FEEDBACK_EVENTS);
                // Later recommendations move stream time past every impression window on every
                // partition: each task closes its windows in its own stream time.
                for (int i = 0; i < USERS; i++) {
                    scored(producer, users.get(i), USERS + i, T0.plusSeconds(3600));
                }
                producer.flush();
            }

            Map<String, TrainingExample> examples = awaitExamples(infra, USERS);
            assertEquals(USERS, examples.size(), "distinct example ids");
            for (int i = 0; i < USERS; i++) {
                TrainingExample example = examples.get("ex-fb-" + i + "-final");
                assertTrue(example != null, "missing example for user " + i);
                assertEquals(
                        i % 3 == 0 ? ExampleLabel.POSITIVE : ExampleLabel.NEGATIVE,
                        example.getLabel(),
                        "user " + i);
            }

            int viaFirst = 0;
            for (int i = 0; i < USERS; i++) {
                JsonNode view = first.get("/v1/users/" + users.get(i));
                assertEquals(
                        "rec-" + i,
                        view.at("/recommendations/0/recommendationId").asText(),
                        view.toString());
                assertEquals("ct-" + i, view.at("/contacts/0/contactId").asText(), view.toString());
                viaFirst++;
            }
            assertEquals(USERS, viaFirst);
            JsonNode later =
                    second.get("/v1/users/" + users.get(3) + "?since=" + T0.plusSeconds(7200));
            assertEquals(0, later.get("contacts").size());

            String valid =
                    "{\"eventId\":\"fb-http-1\",\"userId\":\""
                            + users.get(5)
                            + "\",\"channel\":\"t-deal\",\"item\":\"deal-5\",\"action\":\"click\"}";
            HttpResponse<String> accepted = second.post("/v1/feedback", valid);
            assertEquals(202, accepted.statusCode(), accepted.body());
            assertTrue(JSON.readTree(accepted.body()).has("offset"), accepted.body());
            String rawId = valid.replace(users.get(5), "010-1234-5678");
            HttpResponse<String> refused = second.post("/v1/feedback", rawId);
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("userId"), refused.body());
            assertTrue(
                    !refused.body().contains("010-1234-5678"),
                    "echoed the raw id: " + refused.body());
        } finally {
            // Stopped on failure too: a leaked instance would outlive the test run.
            first.stop();
            second.stop();
        }
    }

    /** User i: i%3==0 impression then click (positive), 1 impression only, 2 dismissed. */
    private static void respond(
            KafkaProducer<String, SpecificRecord> producer, String user, int i) {
        Instant at = T0.plusSeconds(10);
        FeedbackAction last =
                switch (i % 3) {
                    case 0 -> FeedbackAction.CLICK;
                    case 1 -> FeedbackAction.IMPRESSION;
                    default -> FeedbackAction.DISMISS;
                };
        if (last != FeedbackAction.IMPRESSION) {
            send(
                    producer,
                    TopicCatalog.FEEDBACK_EVENTS,
                    user,
                    feedback("fb-" + i + "-shown", user, i, FeedbackAction.IMPRESSION, at));
        }
        send(
                producer,
                TopicCatalog.FEEDBACK_EVENTS,
                user,
                feedback("fb-" + i + "-final", user, i, last, at.plusSeconds(1)));
    }

    private static FeedbackEvent feedback(
            String id, String user, int i, FeedbackAction action, Instant at) {
        return FeedbackEvent.newBuilder()
                .setEventId(id)
                .setUserId(user)
                .setChannel("t-deal")
                .setItem("deal-" + i)
                .setAction(action)
                .setEventTime(at)
                .setRecommendationId("rec-" + i)
                .build();
    }

    private static void scored(KafkaProducer<String, SpecificRecord> producer, String user, int i) {
        scored(producer, user, i, T0);
    }

    private static void scored(
            KafkaProducer<String, SpecificRecord> producer, String user, int i, Instant at) {
        JourneyStep step =
                JourneyStep.newBuilder()
                        .setItem("app-" + (i % 7))
                        .setDomain(Domain.APP_USE)
                        .setEventTime(at.minusSeconds(60))
                        .build();
        send(
                producer,
                TopicCatalog.RECOMMENDATION_CONTEXT,
                user,
                RecommendationContext.newBuilder()
                        .setRecommendationId("rec-" + i)
                        .setUserId(user)
                        .setChannel("t-deal")
                        .setItems(List.of("deal-" + i))
                        .setJourney(List.of(step))
                        .setModelVersion("v1")
                        .setExperimentArm("live")
                        .setGeneratedAt(at)
                        .build());
        if (i >= USERS) {
            return;
        }
        send(
                producer,
                TopicCatalog.recommendationsTopic("t-deal"),
                user,
                Recommendation.newBuilder()
                        .setRecommendationId("rec-" + i)
                        .setUserId(user)
                        .setChannel("t-deal")
                        .setItems(
                                List.of(
                                        RankedItem.newBuilder()
                                                .setItemId("deal-" + i)
                                                .setScore(1.5f)
                                                .setReasonText("after app use")
                                                .build()))
                        .setModelVersion("v1")
                        .setExperimentArm("live")
                        .setGeneratedAt(at)
                        .setSourceEventTime(at.minusSeconds(60))
                        .build());
        send(
                producer,
                TopicCatalog.CONTACTS,
                user,
                Contact.newBuilder()
                        .setContactId("ct-" + i)
                        .setUserId(user)
                        .setChannel("t-deal")
                        .setKind(ContactKind.IN_APP_SLOT)
                        .setItem("deal-" + i)
                        .setRecommendationId("rec-" + i)
                        .setModelVersion("v1")
                        .setExperimentArm("live")
                        .setContactedAt(at)
                        .build());
    }

    private static void send(
            KafkaProducer<String, SpecificRecord> producer,
            String topic,
            String key,
            SpecificRecord value) {
        producer.send(new ProducerRecord<>(topic, key, value));
    }

    /** Waits until the application's group has committed every record of a topic. */
    private static void awaitConsumed(LocalInfra infra, String groupId, String topic)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.bootstrapServers()))) {
            int partitions =
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions()
                            .size();
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>
                    latest = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(
                        new org.apache.kafka.common.TopicPartition(topic, p),
                        org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                var ends = admin.listOffsets(latest).all().get();
                var committed =
                        admin.listConsumerGroupOffsets(groupId)
                                .partitionsToOffsetAndMetadata()
                                .get();
                boolean done = true;
                for (var end : ends.entrySet()) {
                    var offset = committed.get(end.getKey());
                    if (end.getValue().offset() > 0
                            && (offset == null || offset.offset() < end.getValue().offset())) {
                        done = false;
                    }
                }
                if (done) {
                    return;
                }
                Thread.sleep(500);
            }
            throw new AssertionError(groupId + " did not consume " + topic + " within 90 s");
        }
    }

    private static Map<String, TrainingExample> awaitExamples(LocalInfra infra, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "examples-" + System.nanoTime());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, TrainingExample> byId = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        SchemaRegistryClient registry = new SchemaRegistryClient(infra.registryUrl());
        try (KafkaConsumer<String, TrainingExample> consumer =
                new KafkaConsumer<>(
                        props,
                        new StringDeserializer(),
                        new RegistryAvroDeserializer<>(registry, TrainingExample.class))) {
            consumer.subscribe(List.of(TopicCatalog.TRAINING_EXAMPLES));
            long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                consumer.poll(Duration.ofMillis(500))
                        .forEach(
                                r -> {
                                    if (byId.put(r.value().getExampleId(), r.value()) != null) {
                                        duplicates.add(r.value().getExampleId());
                                    }
                                });
                if (byId.size() >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                }
            }
        }
        assertEquals(List.of(), duplicates, "examples seen more than once");
        return byId;
    }

    private static KafkaProducer<String, SpecificRecord> producer(LocalInfra infra) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(
                props,
                new StringSerializer(),
                new RegistryAvroSerializer<>(new SchemaRegistryClient(infra.registryUrl()), true));
    }

    private static List<String> users() {
        Pseudonymizer ids =
                new Pseudonymizer(
                        "feedback updater it key, not a secret".getBytes(StandardCharsets.UTF_8));
        List<String> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(ids.derive("customer-" + i));
        }
        return users;
    }

    /** One updater in its own JVM. */
    private record Instance(Process process, String baseUrl, Path log) {

        static Instance start(LocalInfra infra, String appId, Path stateDir) throws IOException {
            Files.createDirectories(stateDir);
            Path log = stateDir.resolve("instance-" + System.nanoTime() + ".log");
            Process process =
                    new ProcessBuilder(
                                    Path.of(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-Xmx384m",
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    FeedbackUpdaterApp.class.getName(),
                                    "bootstrap.servers=" + infra.bootstrapServers(),
                                    "schema.registry.url=" + infra.registryUrl(),
                                    "application.id=" + appId,
                                    "state.dir=" + stateDir,
                                    "http.port=0",
                                    "attribution.window=PT30S",
                                    "auto.register.schemas=true",
                                    "streams.session.timeout.ms=6000",
                                    "streams.heartbeat.interval.ms=1000")
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (String line : Files.readAllLines(log)) {
                    if (line.startsWith("ready ")) {
                        Instance instance = new Instance(process, line.substring(6).trim(), log);
                        instance.awaitRunning();
                        return instance;
                    }
                }
                if (!process.isAlive()) {
                    throw new AssertionError("updater exited: " + Files.readString(log));
                }
                sleep(200);
            }
            process.destroyForcibly();
            throw new AssertionError("updater not ready: " + Files.readString(log));
        }

        void awaitRunning() {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    if (get("/health").path("state").asText().equals("RUNNING")) {
                        return;
                    }
                } catch (Exception e) {
                    // not answering yet
                }
                sleep(300);
            }
        }

        JsonNode get(String path) throws IOException, InterruptedException {
            HttpResponse<String> response =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(URI.create(baseUrl + path)).build(),
                                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        }

        HttpResponse<String> post(String path, String json)
                throws IOException, InterruptedException {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(baseUrl + path))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(json))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
