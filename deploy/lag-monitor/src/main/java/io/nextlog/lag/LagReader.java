package io.nextlog.lag;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads consumer-group lag from the cluster: committed offsets from the group coordinator, log
 * start and end offsets from the partition leaders, and the timestamp of the first record each
 * group has not consumed, fetched from the log itself. Lag in seconds is therefore what the waiting
 * records say, not an estimate from consume rates.
 *
 * <p>One fetch per lagging partition per reading: cheap for the tens of partitions nextlog has, but
 * a reading of thousands of lagging partitions takes as many fetches. Not thread-safe; one reader
 * per thread.
 */
public final class LagReader implements AutoCloseable {

    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);

    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Clock clock;

    /** Connects to {@code bootstrapServers}; {@code clock} dates the readings. */
    public LagReader(String bootstrapServers, Clock clock) {
        this.admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.consumer =
                new KafkaConsumer<>(
                        Map.of(
                                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                                false,
                                ConsumerConfig.CLIENT_ID_CONFIG,
                                "nextlog-lag-reader",
                                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                                500,
                                // One record per partition is all a reading needs: small
                                // fetches, or a group far behind on many partitions makes each
                                // reading pull megabytes and run out of time.
                                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                                16 * 1024),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer());
        this.clock = clock;
    }

    /** Returns the ids of every consumer group the cluster knows, sorted. */
    public List<String> consumerGroups() {
        return await(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all(), "list groups")
                .stream()
                .map(GroupListing::groupId)
                .sorted()
                .toList();
    }

    /**
     * Reads one group's lag on every partition it has committed an offset for, sorted by topic and
     * partition; empty for a group with no committed offsets.
     */
    public List<PartitionLag> read(String group) {
        Map<TopicPartition, OffsetAndMetadata> committed =
                await(
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
                        "offsets of group " + group);
        committed.values().removeIf(offset -> offset == null);
        if (committed.isEmpty()) {
            return List.of();
        }
        Map<TopicPartition, Long> starts = offsets(committed, OffsetSpec.earliest());
        Map<TopicPartition, Long> ends = offsets(committed, OffsetSpec.latest());

        Map<TopicPartition, Long> firstUnconsumed = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
            TopicPartition partition = entry.getKey();
            long from = Math.max(entry.getValue().offset(), starts.get(partition));
            if (from < ends.get(partition)) {
                firstUnconsumed.put(partition, from);
            }
        }
        Set<TopicPartition> markersOnly = new HashSet<>();
        Map<TopicPartition, Instant> times = timestampsAt(firstUnconsumed, ends, markersOnly);
        Instant now = clock.instant();

        List<PartitionLag> lags = new ArrayList<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
            TopicPartition partition = entry.getKey();
            Instant oldest = times.get(partition);
            Duration lagTime;
            if (oldest != null) {
                lagTime = oldest.isAfter(now) ? Duration.ZERO : Duration.between(oldest, now);
            } else if (firstUnconsumed.containsKey(partition) && !markersOnly.contains(partition)) {
                lagTime = null; // records wait but none was read in time: unknown, not zero
            } else {
                lagTime = Duration.ZERO;
            }
            lags.add(
                    new PartitionLag(
                            group,
                            partition,
                            entry.getValue().offset(),
                            starts.get(partition),
                            ends.get(partition),
                            oldest,
                            lagTime));
        }
        lags.sort(
                Comparator.comparing((PartitionLag lag) -> lag.partition().topic())
                        .thenComparingInt(lag -> lag.partition().partition()));
        return lags;
    }

    private Map<TopicPartition, Long> offsets(Map<TopicPartition, ?> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request =
                partitions.keySet().stream()
                        .collect(Collectors.toMap(Function.identity(), partition -> spec));
        Map<TopicPartition, ListOffsetsResultInfo> found =
                await(admin.listOffsets(request).all(), "list offsets");
        Map<TopicPartition, Long> offsets = new HashMap<>();
        found.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    /**
     * Fetches the first record at or after each offset and returns its timestamp. A partition whose
     * remaining offsets hold only transaction markers or aborted records gets none.
     */
    private Map<TopicPartition, Instant> timestampsAt(
            Map<TopicPartition, Long> offsets,
            Map<TopicPartition, Long> ends,
            Set<TopicPartition> markersOnly) {
        Map<TopicPartition, Instant> times = new HashMap<>();
        if (offsets.isEmpty()) {
            return times;
        }
        consumer.assign(offsets.keySet());
        offsets.forEach(consumer::seek);

        long deadline = System.nanoTime() + FETCH_TIMEOUT.toNanos();
        while (times.size() < offsets.size() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (times.putIfAbsent(partition, Instant.ofEpochMilli(record.timestamp()))
                        == null) {
                    consumer.pause(List.of(partition)); // it has what it needs
                }
            }
            for (TopicPartition partition : offsets.keySet()) {
                if (!times.containsKey(partition)
                        && consumer.position(partition) >= ends.get(partition)) {
                    // Read to the end without a data record: only markers were left.
                    consumer.pause(List.of(partition));
                    markersOnly.add(partition);
                }
            }
            if (consumer.paused().size() >= offsets.size()) {
                break;
            }
        }
        consumer.resume(consumer.paused());
        consumer.unsubscribe();
        return times;
    }

    private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(ADMIN_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(
                    "could not " + what + ": " + (e.getCause() == null ? e : e.getCause()), e);
        }
    }

    @Override
    public void close() {
        consumer.close();
        admin.close();
    }
}
