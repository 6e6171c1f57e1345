package io.nextlog.scorer.topic;

import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import io.nextlog.scorer.metrics.ScorerMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.annotation.Nullable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a whole compacted topic from the beginning and then follows it, without a consumer group:
 * every scorer instance needs every record (releases, catalog), not a share of them.
 *
 * <p>Threading: one daemon thread per follower polls and calls the handler; the handler runs only
 * on that thread. {@link #awaitCaughtUp} blocks until the records present at start have been
 * handled. A record that cannot be decoded is skipped, counted in {@link ScorerMetrics#badRecords}
 * and logged at WARN with topic, partition and offset (the first one; the rest counted only).
 *
 * @param <T> the Avro record type
 */
public final class TopicFollower<T extends SpecificRecord> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

    /** What to do with each record, and when the backlog is done. */
    public interface Handler<T> {

        /** Handles one record; {@code value} is null for a tombstone. */
        void onRecord(String key, @Nullable T value, boolean catchingUp);

        /** Called once, after the records present at start. */
        default void onCaughtUp() {}
    }

    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final RegistryAvroDeserializer<T> deserializer;
    private final Handler<T> handler;
    private final ScorerMetrics metrics;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final AtomicBoolean badLogged = new AtomicBoolean();
    private volatile boolean running = true;

    /** Starts following {@code topic}. */
    public TopicFollower(
            String bootstrapServers,
            String topic,
            RegistryAvroDeserializer<T> deserializer,
            Handler<T> handler,
            ScorerMetrics metrics) {
        this.topic = topic;
        this.deserializer = deserializer;
        this.handler = handler;
        this.metrics = metrics;
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // The release manager writes in transactions; an aborted release must never apply.
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "online-scorer-" + topic);
        this.consumer =
                new KafkaConsumer<>(
                        properties, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "follow-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until the backlog present at start has been handled; returns false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Whether the backlog present at start has been handled. */
    public boolean isCaughtUp() {
        return caughtUp.getCount() == 0;
    }

    private void run() {
        try {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            boolean backlog = true;
            while (running) {
                for (ConsumerRecord<String, byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    handle(record, backlog);
                }
                if (backlog && reached(end)) {
                    backlog = false;
                    handler.onCaughtUp();
                    caughtUp.countDown();
                    LOG.info("Caught up with {}", topic);
                }
            }
        } catch (WakeupException e) {
            // close() woke the poll.
        } catch (RuntimeException e) {
            LOG.error("Following {} stopped", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void handle(ConsumerRecord<String, byte[]> record, boolean backlog) {
        T value;
        try {
            value = deserializer.decode(topic, record.partition(), record.offset(), record.value());
        } catch (SerializationException e) {
            metrics.badRecords.increment();
            if (badLogged.compareAndSet(false, true)) {
                LOG.warn(
                        "Skipping record {}-{}@{}: {} (further ones counted only)",
                        topic,
                        record.partition(),
                        record.offset(),
                        e.getMessage());
            }
            return;
        }
        handler.onRecord(record.key(), value, backlog);
    }

    /** Stops following. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(5_000);
    }
}
