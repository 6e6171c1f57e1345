package io.nextlog.lag;

import io.nextlog.lag.LiveSnapshot.GroupLag;
import io.nextlog.lag.LiveSnapshot.ScorerStatus;
import io.nextlog.lag.LiveSnapshot.TopicFlow;
import io.nextlog.schemas.event.ModelRelease;
import io.nextlog.schemas.event.RecoMetrics;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import io.nextlog.schemas.serde.WireFormatException;
import io.nextlog.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.annotation.Nullable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes readings of the running platform for the live view ({@link LiveSnapshot}).
 *
 * <ul>
 *   <li>Events in, recommendations out and feedback joined are rates of end offsets between two
 *       readings of {@code behavior-events}, each {@code recommendations.<channel>} topic found on
 *       the cluster, and {@code training-examples}; nothing of those topics is consumed.
 *   <li>Lag per consumer group comes from {@link LagReader}.
 *   <li>CTR and the release history are the only things consumed: {@code reco-metrics} and {@code
 *       model-releases}, read committed from the beginning once, then on from where the previous
 *       reading stopped. Each reading spends at most {@link #LOG_READ_BUDGET} on them, so a long
 *       topic is caught up over several readings instead of stalling one.
 *   <li>Swaps and refusals come from the scorer service's {@code /metrics} page, when its URL is
 *       given.
 * </ul>
 *
 * <p>Not thread-safe: one thread takes the readings.
 */
public final class LiveView implements AutoCloseable {

    /** Longest a reading spends consuming {@code reco-metrics} and {@code model-releases}. */
    static final Duration LOG_READ_BUDGET = Duration.ofSeconds(3);

    private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration SCORER_TIMEOUT = Duration.ofSeconds(2);

    private final Admin admin;
    private final LagReader lagReader;
    private final KafkaConsumer<byte[], byte[]> logConsumer;
    private final RegistryAvroDeserializer<RecoMetrics> metricsReader;
    private final RegistryAvroDeserializer<ModelRelease> releaseReader;
    @Nullable private final URI scorerMetrics;
    @Nullable private final HttpClient http;
    private final Clock clock;

    private final ResponseTotals responses = new ResponseTotals();
    private final ReleaseLog releases = new ReleaseLog();
    private final Set<TopicPartition> assigned = new HashSet<>();
    private long badRecords;

    @Nullable private Instant previousAt;
    private Map<String, Long> previousEnds = Map.of();

    /**
     * Connects to the cluster; nothing is read until {@link #read()}.
     *
     * @param bootstrapServers the Kafka cluster
     * @param registry where the writer schemas of {@code reco-metrics} and {@code model-releases}
     *     are fetched
     * @param scorerUrl the scorer service's base URL, e.g. {@code http://127.0.0.1:8091}; null to
     *     leave the scorer out
     * @param clock dates the readings and the live model's age
     */
    public LiveView(
            String bootstrapServers,
            SchemaRegistryClient registry,
            @Nullable URI scorerUrl,
            Clock clock) {
        this.admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.lagReader = new LagReader(bootstrapServers, clock);
        this.logConsumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.CLIENT_ID_CONFIG,
                                "nextlog-live-view",
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false,
                                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                                "earliest",
                                // The updater writes reco-metrics in transactions.
                                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                                IsolationLevel.READ_COMMITTED.toString()),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        this.metricsReader = new RegistryAvroDeserializer<>(registry, RecoMetrics.class);
        this.releaseReader = new RegistryAvroDeserializer<>(registry, ModelRelease.class);
        this.scorerMetrics = scorerUrl == null ? null : metricsPage(scorerUrl);
        this.http =
                scorerUrl == null
                        ? null
                        : HttpClient.newBuilder().connectTimeout(SCORER_TIMEOUT).build();
        this.clock = clock;
    }

    private static URI metricsPage(URI scorerUrl) {
        String base = scorerUrl.toString();
        return URI.create((base.endsWith("/") ? base : base + "/") + "metrics");
    }

    /**
     * Takes one reading. Rates are measured against the previous reading, so the first one has
     * none.
     *
     * @throws IllegalStateException when an admin request is not answered in time
     * @throws org.apache.kafka.common.KafkaException when the consumer of {@code reco-metrics} and
     *     {@code model-releases} is not (its own timeout, or a broker error)
     */
    public LiveSnapshot read() {
        Map<String, List<TopicPartition>> partitions = partitionsOfNextlogTopics();
        Instant now = clock.instant();
        Map<String, Long> ends = endOffsets(partitions);
        Duration interval = previousAt == null ? null : Duration.between(previousAt, now);

        List<TopicFlow> recommendations = new ArrayList<>();
        for (String topic : partitions.keySet()) {
            if (topic.startsWith(TopicCatalog.RECOMMENDATIONS_PREFIX)) {
                recommendations.add(flow(topic, ends, interval));
            }
        }
        readLogs(partitions);

        LiveSnapshot snapshot =
                new LiveSnapshot(
                        now,
                        interval,
                        flow(TopicCatalog.BEHAVIOR_EVENTS, ends, interval),
                        recommendations,
                        flow(TopicCatalog.TRAINING_EXAMPLES, ends, interval),
                        groupLags(),
                        responses.byChannel(),
                        responses.byArm(),
                        releases.history(),
                        scorerMetrics == null ? null : readScorer(),
                        badRecords);
        previousAt = now;
        previousEnds = ends;
        return snapshot;
    }

    /** Partitions of the topics the view reads that exist now, by topic name, sorted by name. */
    private Map<String, List<TopicPartition>> partitionsOfNextlogTopics() {
        List<String> watched =
                await(admin.listTopics().names(), "list topics").stream()
                        .filter(LiveView::isWatched)
                        .toList();
        Map<String, TopicDescription> descriptions =
                await(admin.describeTopics(watched).allTopicNames(), "describe topics");
        Map<String, List<TopicPartition>> partitions = new TreeMap<>();
        descriptions.forEach(
                (topic, description) ->
                        partitions.put(
                                topic,
                                description.partitions().stream()
                                        .map(p -> new TopicPartition(topic, p.partition()))
                                        .toList()));
        return partitions;
    }

    private static boolean isWatched(String topic) {
        return topic.equals(TopicCatalog.BEHAVIOR_EVENTS)
                || topic.equals(TopicCatalog.TRAINING_EXAMPLES)
                || topic.equals(TopicCatalog.RECO_METRICS)
                || topic.equals(TopicCatalog.MODEL_RELEASES)
                || topic.startsWith(TopicCatalog.RECOMMENDATIONS_PREFIX);
    }

    /** The sum of each topic's partition end offsets. */
    private Map<String, Long> endOffsets(Map<String, List<TopicPartition>> partitions) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.values().forEach(list -> list.forEach(p -> request.put(p, OffsetSpec.latest())));
        Map<String, Long> ends = new HashMap<>();
        await(admin.listOffsets(request).all(), "list end offsets")
                .forEach(
                        (partition, info) ->
                                ends.merge(partition.topic(), info.offset(), Long::sum));
        return ends;
    }

    /**
     * A topic's flow; a topic missing at the previous reading counts as empty then, since a new
     * topic starts at offset 0.
     */
    private TopicFlow flow(String topic, Map<String, Long> ends, @Nullable Duration interval) {
        long end = ends.getOrDefault(topic, 0L);
        if (interval == null || interval.isZero() || interval.isNegative()) {
            return new TopicFlow(topic, end, null);
        }
        long added = Math.max(0, end - previousEnds.getOrDefault(topic, 0L));
        return new TopicFlow(topic, end, added * 1000.0 / interval.toMillis());
    }

    /** Consumes what {@code reco-metrics} and {@code model-releases} gained, within the budget. */
    private void readLogs(Map<String, List<TopicPartition>> partitions) {
        Set<TopicPartition> wanted = new HashSet<>();
        wanted.addAll(partitions.getOrDefault(TopicCatalog.RECO_METRICS, List.of()));
        wanted.addAll(partitions.getOrDefault(TopicCatalog.MODEL_RELEASES, List.of()));
        if (wanted.isEmpty()) {
            return;
        }
        if (!wanted.equals(assigned)) {
            // No group: positions of partitions kept from before stay where they were, new ones
            // start at the beginning (auto.offset.reset=earliest).
            logConsumer.assign(wanted);
            assigned.clear();
            assigned.addAll(wanted);
        }
        Map<TopicPartition, Long> ends = logConsumer.endOffsets(wanted, ADMIN_TIMEOUT);
        long deadline = System.nanoTime() + LOG_READ_BUDGET.toNanos();
        while (!caughtUp(ends) && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : logConsumer.poll(Duration.ofMillis(100))) {
                fold(record);
            }
        }
    }

    private boolean caughtUp(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (logConsumer.position(end.getKey(), ADMIN_TIMEOUT) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void fold(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return; // a tombstone of the compacted release log
        }
        try {
            if (record.topic().equals(TopicCatalog.RECO_METRICS)) {
                responses.add(
                        metricsReader.decode(
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                record.value()));
            } else {
                releases.add(
                        releaseReader.decode(
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                record.value()));
            }
        } catch (WireFormatException e) {
            // The view shows the count; one line on stderr says what the first one was.
            if (badRecords++ == 0) {
                LOG.warn("Skipping a record the view cannot decode (later ones only counted)", e);
            }
        }
    }

    private List<GroupLag> groupLags() {
        List<GroupLag> groups = new ArrayList<>();
        for (String group : lagReader.consumerGroups()) {
            List<PartitionLag> lags = lagReader.read(group);
            if (!lags.isEmpty()) {
                groups.add(summarize(group, lags));
            }
        }
        return groups;
    }

    /** One group's lag over all its partitions: records summed, seconds of the worst one. */
    static GroupLag summarize(String group, List<PartitionLag> lags) {
        long records = 0;
        long lost = 0;
        Duration worst = Duration.ZERO;
        boolean unknown = false;
        for (PartitionLag lag : lags) {
            records += lag.lagRecords();
            lost += lag.lostRecords();
            if (lag.lagTime() == null) {
                unknown = true;
            } else if (lag.lagTime().compareTo(worst) > 0) {
                worst = lag.lagTime();
            }
        }
        return new GroupLag(group, records, unknown ? null : worst, lost);
    }

    private ScorerStatus readScorer() {
        String url = scorerMetrics.toString();
        HttpRequest request = HttpRequest.newBuilder(scorerMetrics).timeout(SCORER_TIMEOUT).build();
        try {
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return ScorerStatus.unreachable(
                        url, "expected HTTP 200, found " + response.statusCode());
            }
            return ScorerMetricsPage.parse(url, response.body());
        } catch (IOException e) {
            String why = e.getClass().getSimpleName();
            return ScorerStatus.unreachable(
                    url, e.getMessage() == null ? why : why + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ScorerStatus.unreachable(url, "interrupted");
        }
    }

    private static <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "could not " + what + ": " + (e.getCause() == null ? e : e.getCause()), e);
        }
    }

    @Override
    public void close() {
        try {
            logConsumer.close();
            lagReader.close();
        } finally {
            admin.close();
        }
    }
}
