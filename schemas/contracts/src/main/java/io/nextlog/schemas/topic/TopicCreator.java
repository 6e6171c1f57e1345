package io.nextlog.schemas.topic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the declared topics that are missing, idempotently. Existing topics are never changed: a
 * partition count that differs from the declaration is reported, because changing it would move
 * users between partitions and break co-partitioned joins.
 */
public final class TopicCreator {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);

    private final Admin admin;

    /**
     * @param admin admin client; not closed by this class
     */
    public TopicCreator(Admin admin) {
        this.admin = admin;
    }

    /** What {@link #ensure} found and did. */
    public record Report(List<String> created, List<String> existing, List<String> mismatches) {

        /** Whether every declared topic now exists as declared. */
        public boolean isConsistent() {
            return mismatches.isEmpty();
        }
    }

    /**
     * Creates each topic of {@code specs} that does not exist yet.
     *
     * @throws IllegalStateException when the broker refuses a creation or cannot be reached
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
