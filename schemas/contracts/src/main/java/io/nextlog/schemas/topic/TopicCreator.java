package io.nextlog.schemas.topic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the declared topics that are missing, idempotently. Existing topics are never changed: a
 * partition count that differs from the declaration is reported, because changing it would move
 * users between partitions and break co-partitioned joins.
 *
 * <p>A topic this class creates is returned writable: every partition's leader answers for it.
 * Right after creation the controller may already name a leader that has not taken the partition
 * over, and a produce request then fails with {@code NOT_LEADER_OR_FOLLOWER}. The producer retries,
 * but an idempotent producer whose first batch failed while a later one landed retries that first
 * batch with an out-of-order sequence until its delivery timeout, and the records are lost.
 */
public final class TopicCreator {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

    /** How long {@link #ensure} waits for the leaders of the topics it created. */
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);

    private static final Duration READY_POLL = Duration.ofMillis(100);

    private final Admin admin;
    private final Duration readyTimeout;

    /**
     * @param admin admin client; not closed by this class
     */
    public TopicCreator(Admin admin) {
        this(admin, DEFAULT_READY_TIMEOUT);
    }

    /**
     * @param admin admin client; not closed by this class
     * @param readyTimeout how long {@link #ensure} waits until the topics it created take writes
     */
    public TopicCreator(Admin admin, Duration readyTimeout) {
        this.admin = admin;
        this.readyTimeout = readyTimeout;
    }

    /** What {@link #ensure} found and did. */
    public record Report(List<String> created, List<String> existing, List<String> mismatches) {

        /** Whether every declared topic now exists as declared. */
        public boolean isConsistent() {
            return mismatches.isEmpty();
        }
    }

    /**
     * Creates each topic of {@code specs} that does not exist yet and returns once the created ones
     * take writes.
     *
     * @throws IllegalStateException when the broker refuses a creation or cannot be reached, or a
     *     created topic's partitions have no serving leader within the ready timeout
     */
    public Report ensure(Collection<TopicSpec> specs, short replicationFactor) {
        try {
            Set<String> names = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            List<String> existing = new ArrayList<>();
            for (TopicSpec spec : specs) {
                if (names.contains(spec.name())) {
                    existing.add(spec.name());
                } else {
                    missing.add(
                            new NewTopic(spec.name(), spec.partitions(), replicationFactor)
                                    .configs(spec.configs()));
                }
            }
            List<String> created = create(missing);
            awaitLeaders(missing);
            List<String> mismatches = checkPartitions(specs, existing);
            return new Report(created, existing, mismatches);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create topics: " + e.getCause(), e);
        }
    }

    private List<String> create(List<NewTopic> missing)
            throws InterruptedException, ExecutionException {
        List<String> created = new ArrayList<>();
        for (Map.Entry<String, KafkaFuture<Void>> result :
                admin.createTopics(missing).values().entrySet()) {
            try {
                result.getValue().get();
                created.add(result.getKey());
                LOG.info("created topic {}", result.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                // created concurrently by another instance: fine
            }
        }
        return created;
    }

    /**
     * Waits until the leader of every partition of {@code created} answers an offset request, which
     * it does only once it serves the partition, as it must for a produce request.
     */
    private void awaitLeaders(List<NewTopic> created)
            throws InterruptedException, ExecutionException {
        if (created.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (NewTopic topic : created) {
            for (int p = 0; p < topic.numPartitions(); p++) {
                request.put(new TopicPartition(topic.name(), p), OffsetSpec.latest());
            }
        }
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                admin.listOffsets(request).all().get(Math.max(1, left), TimeUnit.NANOSECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) {
                    throw e;
                }
            } catch (TimeoutException e) {
                // reported below
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException(
                        "expected a serving leader for each of the "
                                + request.size()
                                + " partitions of the topics just created within "
                                + readyTimeout
                                + ", found some still without one: "
                                + created.stream().map(NewTopic::name).toList());
            }
            Thread.sleep(READY_POLL.toMillis());
        }
    }

    private List<String> checkPartitions(Collection<TopicSpec> specs, List<String> existing)
            throws InterruptedException, ExecutionException {
        List<String> mismatches = new ArrayList<>();
        if (existing.isEmpty()) {
            return mismatches;
        }
        Map<String, TopicDescription> descriptions =
                admin.describeTopics(existing).allTopicNames().get();
        for (TopicSpec spec : specs) {
            TopicDescription description = descriptions.get(spec.name());
            if (description != null && description.partitions().size() != spec.partitions()) {
                String mismatch =
                        spec.name()
                                + ": expected "
                                + spec.partitions()
                                + " partitions, found "
                                + description.partitions().size();
                mismatches.add(mismatch);
                LOG.warn("topic differs from its declaration: {}", mismatch);
            }
        }
        return mismatches;
    }
}
