package io.nextlog.trainer.release;

import io.nextlog.schemas.event.ModelRelease;
import io.nextlog.schemas.event.RecoMetrics;
import io.nextlog.schemas.event.ReleaseKind;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import io.nextlog.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolls a bad release back by itself: reads {@code reco-metrics} on its own thread, feeds a {@link
 * HoldoutJudge}, and asks the {@link ReleaseManager} for a rollback when the judge finds the live
 * arm worse than the holdout arm.
 *
 * <p>On start it reads the windows of the last {@code lookback} (by record timestamp), so a
 * restarted trainer judges with the traffic it had seen. Its verdicts are not stored: on start it
 * clears the first release of the log, every rollback target, and every release replaced before the
 * lookback began (no window is left to judge it by). The releases of the lookback are judged again,
 * as one run of suspects, so a restart can roll back further than the guard would have without it.
 *
 * <p>Records that cannot be read are dead-lettered, counted and logged once, and skipped; the guard
 * never stops for them.
 */
public final class HoldoutGuard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HoldoutGuard.class);

    private final ReleaseManager manager;
    private final HoldoutJudge judge;
    private final KafkaConsumer<String, byte[]> consumer;
    private final RegistryAvroDeserializer<RecoMetrics> values;
    private final DeadLetterPublisher deadLetters;
    private final Thread thread;
    private final AtomicLong rollbacks = new AtomicLong();
    private final AtomicLong badRecords = new AtomicLong();
    private final AtomicLong windowsRead = new AtomicLong();
    private volatile String lastVerdict = "not judged yet";
    private volatile boolean running = true;

    /**
     * Starts the guard.
     *
     * @param bootstrapServers the Kafka cluster
     * @param registry the schema registry
     * @param manager the release manager to ask for rollbacks
     * @param judge the judge with its thresholds
     * @param lookback how far back to read windows on start
     */
    public HoldoutGuard(
            String bootstrapServers,
            SchemaRegistryClient registry,
            ReleaseManager manager,
            HoldoutJudge judge,
            Duration lookback) {
        this.manager = manager;
        this.judge = judge;
        this.values = new RegistryAvroDeserializer<>(registry, RecoMetrics.class);
        this.deadLetters = new DeadLetterPublisher(bootstrapServers, registry, "holdout-guard");
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "holdout-guard");
        this.consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<ModelRelease> history = manager.history();
        if (!history.isEmpty()) {
            judge.clear(history.get(0).getVersion());
        }
        long lookbackStart = System.currentTimeMillis() - lookback.toMillis();
        for (int i = 0; i < history.size(); i++) {
            ModelRelease release = history.get(i);
            boolean replacedBeforeLookback =
                    i + 1 < history.size()
                            && history.get(i + 1).getPublishedAt().toEpochMilli() < lookbackStart;
            if (release.getKind() == ReleaseKind.ROLLBACK || replacedBeforeLookback) {
                judge.clear(release.getVersion());
            }
        }
        seek(lookback);
        this.thread = new Thread(this::run, "holdout-guard");
        thread.setDaemon(true);
        thread.start();
    }

    /** Returns the rollbacks this guard asked for. */
    public long rollbacks() {
        return rollbacks.get();
    }

    /** Returns the metrics records that could not be read. */
    public long badRecords() {
        return badRecords.get();
    }

    /** Returns the metrics windows read. */
    public long windowsRead() {
        return windowsRead.get();
    }

    /** Returns what the judge said last, for logs and the release endpoint. */
    public String lastVerdict() {
        return lastVerdict;
    }

    private void seek(Duration lookback) {
        List<PartitionInfo> partitions =
                consumer.partitionsFor(TopicCatalog.RECO_METRICS, Duration.ofSeconds(30));
        List<TopicPartition> assigned =
                partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(assigned);
        long from = System.currentTimeMillis() - lookback.toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        assigned.forEach(tp -> query.put(tp, from));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(query);
        for (TopicPartition tp : assigned) {
            OffsetAndTimestamp at = offsets.get(tp);
            if (at == null) {
                consumer.seekToEnd(List.of(tp));
            } else {
                consumer.seek(tp, at.offset());
            }
        }
    }

    private void run() {
        try {
            while (running) {
                boolean any = false;
                for (ConsumerRecord<String, byte[]> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    any |= take(record);
                }
                if (any) {
                    judgeNow();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Holdout guard stopped: automatic rollback is off until restart", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private boolean take(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return false;
        }
        try {
            judge.add(
                    values.decode(
                            record.topic(), record.partition(), record.offset(), record.value()));
            windowsRead.incrementAndGet();
            return true;
        } catch (RuntimeException e) {
            deadLetters.publish(record, e);
            if (badRecords.incrementAndGet() == 1) {
                LOG.warn(
                        "Dead-lettering unreadable metrics record {}-{}@{} (further ones are"
                                + " counted only): {}",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        e.getMessage());
            }
            return false;
        }
    }

    private void judgeNow() {
        HoldoutJudge.Verdict verdict = judge.judge(manager.history(), manager.worseVersions());
        String said;
        if (verdict instanceof HoldoutJudge.Wait wait) {
            said = "wait: " + wait.reason();
        } else if (verdict instanceof HoldoutJudge.Keep keep) {
            said = "keep: " + keep.reason();
        } else {
            said = "rollback: " + ((HoldoutJudge.Rollback) verdict).reason();
        }
        if (!said.equals(lastVerdict)) {
            LOG.info("Holdout guard: {}", said);
        }
        lastVerdict = said;
        if (verdict instanceof HoldoutJudge.Rollback rollback) {
            if (rollback.toVersion() == null) {
                LOG.error(
                        "Live arm is worse than the holdout but no earlier release is left to roll"
                                + " back to: {}",
                        rollback.reason());
                return;
            }
            try {
                manager.rollback(rollback.toVersion(), "holdout guard: " + rollback.reason());
                judge.clear(rollback.toVersion());
                rollbacks.incrementAndGet();
            } catch (RuntimeException e) {
                LOG.error("Holdout guard could not roll back to {}", rollback.toVersion(), e);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadLetters.close();
    }
}
