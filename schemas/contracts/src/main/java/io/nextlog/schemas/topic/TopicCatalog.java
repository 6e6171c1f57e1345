package io.nextlog.schemas.topic;

import io.nextlog.schemas.channel.Channel;
import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.CatalogItem;
import io.nextlog.schemas.event.Contact;
import io.nextlog.schemas.event.DeadLetter;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.event.ModelRelease;
import io.nextlog.schemas.event.RecoMetrics;
import io.nextlog.schemas.event.Recommendation;
import io.nextlog.schemas.event.RecommendationContext;
import io.nextlog.schemas.event.TrainingExample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one declaration of every nextlog topic. Topic names are constants; the per-channel
 * recommendation topics are {@code recommendations.<channel id>} for each configured channel.
 *
 * <p>Keys are UTF-8 strings: the pseudonymous user id for everything about a user, the item id for
 * the catalog, the model version for releases, {@code channel|version|arm} for metrics and the
 * source topic for dead letters. Immutable and thread-safe.
 */
public final class TopicCatalog {

    public static final String BEHAVIOR_EVENTS = "behavior-events";
    public static final String FEEDBACK_EVENTS = "feedback-events";
    public static final String CATALOG_ITEMS = "catalog-items";
    public static final String RECOMMENDATIONS_PREFIX = "recommendations.";
    public static final String CONTACTS = "contacts";
    public static final String RECOMMENDATION_CONTEXT = "recommendation-context";
    public static final String TRAINING_EXAMPLES = "training-examples";
    public static final String RECO_METRICS = "reco-metrics";
    public static final String MODEL_RELEASES = "model-releases";
    public static final String DEAD_LETTERS = "dead-letters";

    private static final String USER_KEY = "pseudonymous user id (UTF-8 string)";
    private static final Duration CONTACT_HISTORY = Duration.ofDays(400);

    private final Channels channels;
    private final TopicSettings settings;
    private final Map<String, TopicSpec> byName;

    private TopicCatalog(Channels channels, TopicSettings settings) {
        this.channels = channels;
        this.settings = settings;
        Map<String, TopicSpec> map = new LinkedHashMap<>();
        for (TopicSpec spec : declare(channels, settings)) {
            map.put(spec.name(), spec);
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    /** The catalog for these channels and settings. */
    public static TopicCatalog of(Channels channels, TopicSettings settings) {
        return new TopicCatalog(channels, settings);
    }

    /** The catalog for the default channels on a single local broker. */
    public static TopicCatalog local() {
        return of(Channels.defaults(), TopicSettings.local());
    }

    private static List<TopicSpec> declare(Channels channels, TopicSettings settings) {
        int users = settings.userPartitions();
        Duration events = settings.eventRetention();
        List<TopicSpec> specs = new ArrayList<>();
        specs.add(
                new TopicSpec(
                        BEHAVIOR_EVENTS,
                        USER_KEY,
                        BehaviorEvent.getClassSchema(),
                        users,
                        "delete",
                        events,
                        "customers' behavior events; read by the Flink job"));
        specs.add(
                new TopicSpec(
                        FEEDBACK_EVENTS,
                        USER_KEY,
                        FeedbackEvent.getClassSchema(),
                        users,
                        "delete",
                        events,
                        "impressions, clicks, conversions, dismissals from channel apps"));
        specs.add(
                new TopicSpec(
                        CATALOG_ITEMS,
                        "item id (UTF-8 string)",
                        CatalogItem.getClassSchema(),
                        1,
                        "compact",
                        null,
                        "offers and their channel eligibility; tombstone removes an item"));
        for (Channel channel : channels.all()) {
            specs.add(
                    new TopicSpec(
                            recommendationsTopic(channel.id()),
                            USER_KEY,
                            Recommendation.getClassSchema(),
                            users,
                            "compact",
                            null,
                            "latest ranked offers per user for " + channel.displayName()));
        }
        specs.add(
                new TopicSpec(
                        CONTACTS,
                        USER_KEY,
                        Contact.getClassSchema(),
                        users,
                        "delete",
                        CONTACT_HISTORY,
                        "every decided contact: who was offered what, where and when"));
        specs.add(
                new TopicSpec(
                        RECOMMENDATION_CONTEXT,
                        USER_KEY,
                        RecommendationContext.getClassSchema(),
                        users,
                        "delete",
                        events,
                        "what was scored for each recommendation (internal)"));
        specs.add(
                new TopicSpec(
                        TRAINING_EXAMPLES,
                        USER_KEY,
                        TrainingExample.getClassSchema(),
                        users,
                        "delete",
                        events,
                        "journeys with the next event chosen or refused; read by the trainer"));
        specs.add(
                new TopicSpec(
                        RECO_METRICS,
                        "channel|modelVersion|arm (UTF-8 string)",
                        RecoMetrics.getClassSchema(),
                        1,
                        "delete",
                        events,
                        "windowed response counts per channel, model version and arm"));
        specs.add(
                new TopicSpec(
                        MODEL_RELEASES,
                        "model version (UTF-8 string)",
                        ModelRelease.getClassSchema(),
                        1,
                        "compact",
                        null,
                        "the live model: one writer (the release manager), one partition"));
        specs.add(
                new TopicSpec(
                        DEAD_LETTERS,
                        "source topic (UTF-8 string)",
                        DeadLetter.getClassSchema(),
                        1,
                        "delete",
                        events.multipliedBy(2),
                        "records a stage could not use, with their coordinates"));
        return specs;
    }

    /** Topic that carries recommendations for {@code channelId}. */
    public static String recommendationsTopic(String channelId) {
        return RECOMMENDATIONS_PREFIX + channelId;
    }

    /** Every topic in declaration order. */
    public List<TopicSpec> all() {
        return List.copyOf(byName.values());
    }

    /**
     * The declaration of {@code name}.
     *
     * @throws IllegalArgumentException naming the declared topics when there is none
     */
    public TopicSpec get(String name) {
        TopicSpec spec = byName.get(name);
        if (spec == null) {
            throw new IllegalArgumentException(
                    "unknown topic '" + name + "', expected one of " + byName.keySet());
        }
        return spec;
    }

    /** The channels this catalog declares recommendation topics for. */
    public Channels channels() {
        return channels;
    }

    /** The sizing in force. */
    public TopicSettings settings() {
        return settings;
    }
}
