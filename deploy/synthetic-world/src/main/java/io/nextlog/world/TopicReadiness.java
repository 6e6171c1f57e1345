package io.nextlog.world;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Waits until freshly created topics can take writes. Right after creation a partition may have no
 * leader yet; a producer then retries until its delivery timeout, and a short run would count those
 * records as lost.
 */
public final class TopicReadiness {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private TopicReadiness() {}

    /**
     * Returns once every partition of {@code topics} has a leader.
     *
     * @throws IllegalStateException naming the partitions still without one after {@code timeout}
     */
    public static void awaitLeaders(Admin admin, Collection<String> topics, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> leaderless = leaderless(admin, topics);
        while (!leaderless.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "expected a leader for every partition within "
                                + timeout
                                + ", found none for "
                                + leaderless);
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
            leaderless = leaderless(admin, topics);
        }
    }

    private static List<String> leaderless(Admin admin, Collection<String> topics)
            throws InterruptedException {
        try {
            Map<String, TopicDescription> descriptions =
                    admin.describeTopics(topics).allTopicNames().get();
            return descriptions.values().stream()
                    .flatMap(
                            d ->
                                    d.partitions().stream()
                                            .filter(TopicReadiness::hasNoLeader)
                                            .map(p -> d.name() + "-" + p.partition()))
                    .toList();
        } catch (ExecutionException e) {
            return List.of("(describe failed: " + e.getCause() + ")");
        }
    }

    private static boolean hasNoLeader(TopicPartitionInfo partition) {
        return partition.leader() == null || partition.leader().isEmpty();
    }
}
