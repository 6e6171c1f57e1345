package io.nextlog.schemas.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopicCatalogTest {

    private final TopicCatalog catalog = TopicCatalog.local();

    @Test
    void shouldDeclareEveryTopicOnce() {
        List<String> names = catalog.all().stream().map(TopicSpec::name).toList();
        assertEquals(
                List.of(
                        "behavior-events",
                        "feedback-events",
                        "catalog-items",
                        "recommendations.t-universe",
                        "recommendations.t-deal",
                        "recommendations.t-membership",
                        "recommendations.mno",
                        "contacts",
                        "recommendation-context",
                        "training-examples",
                        "reco-metrics",
                        "model-releases",
                        "dead-letters"),
                names);
    }

    @Test
    void shouldCoPartitionEveryTopicKeyedByUser() {
        Set<Integer> counts =
                catalog.all().stream()
                        .filter(spec -> spec.key().startsWith("pseudonymous user id"))
                        .map(TopicSpec::partitions)
                        .collect(Collectors.toSet());
        assertEquals(Set.of(catalog.settings().userPartitions()), counts);
    }

    @Test
    void shouldCompactLatestStateTopicsAndKeepReleasesOnOnePartition() {
        assertTrue(catalog.get("recommendations.t-deal").isCompacted());
        assertTrue(catalog.get(TopicCatalog.CATALOG_ITEMS).isCompacted());
        TopicSpec releases = catalog.get(TopicCatalog.MODEL_RELEASES);
        assertTrue(releases.isCompacted());
        assertEquals(1, releases.partitions());
        assertEquals("-1", releases.configs().get("retention.ms"));
        assertEquals(
                String.valueOf(7L * 24 * 3600 * 1000),
                catalog.get(TopicCatalog.BEHAVIOR_EVENTS).configs().get("retention.ms"));
        assertEquals("behavior-events-value", catalog.get("behavior-events").valueSubject());
    }
}
