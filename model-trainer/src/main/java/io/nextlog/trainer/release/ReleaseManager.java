package io.nextlog.trainer.release;

import io.nextlog.schemas.event.ModelRelease;
import io.nextlog.schemas.event.ReleaseKind;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import io.nextlog.schemas.serde.RegistryAvroSerializer;
import io.nextlog.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of {@code model-releases}: gives every release the next sequence number and writes
 * it in a Kafka transaction, together with the consumer offsets of the examples the release was
 * trained on when there are any.
 *
 * <p>One writer is enforced, not just agreed: every manager uses the same transactional id, so
 * starting a second one fences the first, whose next write fails. On start the manager reads the
 * whole log (committed records only) to learn the last sequence and the history, so sequences stay
 * monotonic across restarts.
 *
 * <p>A rollback is a release too, of kind {@link ReleaseKind#ROLLBACK}, naming the version that
 * becomes live again and why. The version rolled back from is remembered as worse, and is never
 * chosen as a rollback target.
 *
 * <p>Thread-safe: releases are serialised by the manager's lock.
 */
public final class ReleaseManager implements AutoCloseable {

    /** The transactional id every release manager uses, so a newer one fences an older one. */
    public static final String DEFAULT_TRANSACTIONAL_ID = "nextlog-release-manager";

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseManager.class);
    private static final TopicPartition LOG_PARTITION =
            new TopicPartition(TopicCatalog.MODEL_RELEASES, 0);

    private final KafkaProducer<String, ModelRelease> producer;
    private final List<ModelRelease> history;
    private final List<String> worseVersions;
    private final AtomicLong badRecords = new AtomicLong();
    private long lastSequence;

    private ReleaseManager(
            KafkaProducer<String, ModelRelease> producer,
            List<ModelRelease> history,
            long badRecordsRead) {
        this.producer = producer;
        this.history = new ArrayList<>(history);
        this.worseVersions = new ArrayList<>();
        this.badRecords.set(badRecordsRead);
        this.lastSequence = 0;
        for (ModelRelease release : history) {
            lastSequence = Math.max(lastSequence, release.getSequence());
            if (release.getKind() == ReleaseKind.ROLLBACK && release.getParentVersion() != null) {
                worseVersions.add(release.getParentVersion());
            }
        }
    }

    /**
     * Starts a manager: reads the release log to its end, then takes over as its only writer.
     *
     * @param bootstrapServers the Kafka cluster
     * @param registry the schema registry
     * @param transactionalId the writer's transactional id; every manager of one log shares it
     * @param timeout how long to wait for the cluster
     * @throws KafkaException if the cluster cannot be reached or the log read in time
     */
    public static ReleaseManager start(
            String bootstrapServers,
            SchemaRegistryClient registry,
            String transactionalId,
            Duration timeout) {
        ReadLog read = readLog(bootstrapServers, registry, timeout);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) timeout.toMillis());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "release-manager");
        KafkaProducer<String, ModelRelease> producer =
                new KafkaProducer<>(
                        props,
                        new StringSerializer(),
                        new RegistryAvroSerializer<>(registry, true));
        try {
            producer.initTransactions();
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
        ReleaseManager manager = new ReleaseManager(producer, read.releases, read.badRecords);
        LOG.info(
                "Release manager started: {} releases in the log, last sequence {}, live {}",
                read.releases.size(),
                manager.lastSequence,
                manager.live().map(ModelRelease::getVersion).orElse("none"));
        return manager;
    }

    /**
     * Publishes a new model.
     *
     * @param version the model version that becomes live
     * @param parentVersion the version it was fine-tuned from, or null
     * @param bundleUri where the stored bundle lies
     * @param sha256 the sha256 of its manifest
     * @param validationMetrics what validation measured
     * @param offsets consumer offsets to commit with the release (the next example to read per
     *     partition), or empty
     * @param group the group those offsets belong to; null when {@code offsets} is empty
     * @return the release as written
     * @throws KafkaException if the transaction fails; nothing is then published
     */
    public synchronized ModelRelease publish(
            String version,
            @Nullable String parentVersion,
            String bundleUri,
            String sha256,
            Map<String, Double> validationMetrics,
            Map<TopicPartition, OffsetAndMetadata> offsets,
            @Nullable ConsumerGroupMetadata group) {
        ModelRelease release =
                ModelRelease.newBuilder()
                        .setSequence(lastSequence + 1)
                        .setKind(ReleaseKind.PUBLISH)
                        .setVersion(version)
                        .setParentVersion(parentVersion)
                        .setBundleUri(bundleUri)
                        .setSha256(sha256)
                        .setValidationMetrics(new HashMap<>(validationMetrics))
                        .setReason(null)
                        .setPublishedAt(Instant.now())
                        .build();
        write(release, offsets, group);
        return release;
    }

    /**
     * Rolls the live model back to an earlier release's version.
     *
     * @param toVersion a version published earlier, not the live one
     * @param reason why, for the log and for people
     * @return the rollback release as written
     * @throws IllegalArgumentException if no release named {@code toVersion}, or it is live
     * @throws KafkaException if the transaction fails; nothing is then published
     */
    public synchronized ModelRelease rollback(String toVersion, String reason) {
        ModelRelease live =
                live().orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "rollback to "
                                                        + toVersion
                                                        + ": expected a live release, found an"
                                                        + " empty log"));
        if (live.getVersion().equals(toVersion)) {
            throw new IllegalArgumentException(
                    "rollback to " + toVersion + ": expected an earlier version, found it live");
        }
        ModelRelease target =
                latestOf(toVersion)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "rollback to "
                                                        + toVersion
                                                        + ": expected a released version, found"
                                                        + " none of that name among "
                                                        + history.size()
                                                        + " releases"));
        ModelRelease release =
                ModelRelease.newBuilder(target)
                        .setSequence(lastSequence + 1)
                        .setKind(ReleaseKind.ROLLBACK)
                        .setParentVersion(live.getVersion())
                        .setReason(reason)
                        .setPublishedAt(Instant.now())
                        .build();
        write(release, Map.of(), null);
        LOG.warn(
                "Rolled back from model {} to {} (release {}): {}",
                live.getVersion(),
                toVersion,
                release.getSequence(),
                reason);
        return release;
    }

    /**
     * Returns the newest version that may take over from the live one: released before it, not live
     * now, and never rolled back from; empty if there is none.
     */
    public synchronized Optional<String> lastGoodBeforeLive() {
        Optional<ModelRelease> live = live();
        if (live.isEmpty()) {
            return Optional.empty();
        }
        String liveVersion = live.get().getVersion();
        for (int i = history.size() - 1; i >= 0; i--) {
            String version = history.get(i).getVersion();
            if (!version.equals(liveVersion) && !worseVersions.contains(version)) {
                return Optional.of(version);
            }
        }
        return Optional.empty();
    }

    /** Returns the live release: the one with the highest sequence; empty for an empty log. */
    public synchronized Optional<ModelRelease> live() {
        return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
    }

    /** Returns every release in sequence order. */
    public synchronized List<ModelRelease> history() {
        return List.copyOf(history);
    }

    /** Returns the versions ever rolled back from. */
    public synchronized Set<String> worseVersions() {
        return Set.copyOf(worseVersions);
    }

    /** Returns whether a version was ever rolled back from. */
    public synchronized boolean isWorse(String version) {
        return worseVersions.contains(version);
    }

    /** Returns the records of the log that could not be read as releases. */
    public long badRecords() {
        return badRecords.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private Optional<ModelRelease> latestOf(String version) {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).getVersion().equals(version)) {
                return Optional.of(history.get(i));
            }
        }
        return Optional.empty();
    }

    private void write(
            ModelRelease release,
            Map<TopicPartition, OffsetAndMetadata> offsets,
            @Nullable ConsumerGroupMetadata group) {
        producer.beginTransaction();
        try {
            producer.send(
                    new ProducerRecord<>(
                            TopicCatalog.MODEL_RELEASES, release.getVersion(), release));
            if (!offsets.isEmpty()) {
                if (group == null) {
                    throw new IllegalArgumentException(
                            "release "
                                    + release.getVersion()
                                    + ": expected the consumer group of its offsets, found none");
                }
                producer.sendOffsetsToTransaction(offsets, group);
            }
            producer.commitTransaction();
        } catch (RuntimeException e) {
            abortQuietly(release);
            throw e;
        }
        lastSequence = release.getSequence();
        history.add(release);
        if (release.getKind() == ReleaseKind.ROLLBACK && release.getParentVersion() != null) {
            worseVersions.add(release.getParentVersion());
        }
        LOG.info(
                "Released {} {} of model {} (parent {})",
                release.getKind(),
                release.getSequence(),
                release.getVersion(),
                release.getParentVersion());
    }

    private void abortQuietly(ModelRelease release) {
        try {
            producer.abortTransaction();
        } catch (RuntimeException abort) {
            // Fenced or closed: the transaction is dead either way and nothing became visible.
            LOG.warn("Could not abort the transaction of release {}", release.getSequence(), abort);
        }
    }

    private record ReadLog(List<ModelRelease> releases, long badRecords) {}

    /** Reads every committed release, in log order, which is sequence order for one writer. */
    private static ReadLog readLog(
            String bootstrapServers, SchemaRegistryClient registry, Duration timeout) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "release-manager-reader");
        RegistryAvroDeserializer<ModelRelease> values =
                new RegistryAvroDeserializer<>(registry, ModelRelease.class);
        List<ModelRelease> releases = new ArrayList<>();
        long bad = 0;
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(LOG_PARTITION));
            consumer.seekToBeginning(List.of(LOG_PARTITION));
            long end = consumer.endOffsets(List.of(LOG_PARTITION), timeout).get(LOG_PARTITION);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(LOG_PARTITION, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new KafkaException(
                            "release log: expected to read up to offset "
                                    + end
                                    + " within "
                                    + timeout
                                    + ", found position "
                                    + consumer.position(LOG_PARTITION));
                }
                for (ConsumerRecord<String, byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        continue;
                    }
                    try {
                        releases.add(
                                values.decode(
                                        record.topic(),
                                        record.partition(),
                                        record.offset(),
                                        record.value()));
                    } catch (RuntimeException e) {
                        bad++;
                        LOG.warn(
                                "Skipping record {}-{}@{} of the release log: {}",
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                e.getMessage());
                    }
                }
            }
        }
        // Compaction may have removed older records of a version; the rest stay in log order.
        releases.sort((a, b) -> Long.compare(a.getSequence(), b.getSequence()));
        return new ReadLog(releases, bad);
    }
}
