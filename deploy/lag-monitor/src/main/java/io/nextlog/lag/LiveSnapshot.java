package io.nextlog.lag;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * One reading of the running platform, as the live view shows it. Immutable; {@link LiveView}
 * builds it, {@link LiveViewText} turns it into lines.
 *
 * @param takenAt when the reading was taken
 * @param interval time since the reading the rates were measured against; null on the first
 *     reading, when no rate is known yet
 * @param behaviorEvents events in: the {@code behavior-events} topic
 * @param recommendations recommendations out: one flow per {@code recommendations.<channel>} topic,
 *     sorted by channel
 * @param trainingExamples feedback joined: the {@code training-examples} topic
 * @param groups lag of every consumer group, sorted by group id
 * @param channels response counts per channel, summed over model versions and arms, sorted
 * @param arms response counts per model version and experiment arm, summed over channels, sorted
 * @param releases what {@code model-releases} holds
 * @param scorer the scorer's own counters; null when no scorer URL was given
 * @param badRecords records of {@code reco-metrics} and {@code model-releases} that could not be
 *     decoded and were skipped since the view started
 */
public record LiveSnapshot(
        Instant takenAt,
        @Nullable Duration interval,
        TopicFlow behaviorEvents,
        List<TopicFlow> recommendations,
        TopicFlow trainingExamples,
        List<GroupLag> groups,
        List<ResponseTally> channels,
        List<ResponseTally> arms,
        ReleaseHistory releases,
        @Nullable ScorerStatus scorer,
        long badRecords) {

    public LiveSnapshot {
        Objects.requireNonNull(takenAt, "takenAt");
        recommendations = List.copyOf(recommendations);
        groups = List.copyOf(groups);
        channels = List.copyOf(channels);
        arms = List.copyOf(arms);
    }

    /** Recommendations per second over every channel; null when no rate is known. */
    @Nullable
    public Double recommendationsPerSecond() {
        double sum = 0;
        for (TopicFlow flow : recommendations) {
            if (flow.perSecond() == null) {
                return null;
            }
            sum += flow.perSecond();
        }
        return sum;
    }

    /**
     * Records written to one topic, read from its end offsets.
     *
     * <p>End offsets also count transaction markers: on a topic written in transactions (the Flink
     * job's exactly-once sink, the feedback updater) each commit adds one offset per partition it
     * wrote to, so rates and totals read high by up to one per commit and partition. At a few
     * records per commit that doubles the figure; at hundreds it does not show.
     *
     * @param topic the topic
     * @param endOffsets the sum of its partitions' end offsets; 0 when the topic does not exist
     * @param perSecond offsets added per second since the previous reading; null when unknown
     */
    public record TopicFlow(String topic, long endOffsets, @Nullable Double perSecond) {}

    /**
     * One consumer group's lag summed over its partitions.
     *
     * @param group the group id
     * @param lagRecords records it has not consumed yet
     * @param maxLagTime age of the oldest record it has not consumed, worst partition; null when a
     *     partition's age could not be read (unknown, not zero)
     * @param lostRecords records retention deleted before it read them
     */
    public record GroupLag(
            String group, long lagRecords, @Nullable Duration maxLagTime, long lostRecords) {}

    /**
     * Online responses summed over windows of {@code reco-metrics}.
     *
     * @param channel the channel id; null in a sum per model version and arm
     * @param modelVersion the model version; null in a sum per channel
     * @param arm the experiment arm; null in a sum per channel
     */
    public record ResponseTally(
            @Nullable String channel,
            @Nullable String modelVersion,
            @Nullable String arm,
            long impressions,
            long clicks,
            long converts) {

        /** Clicks per impression; 0 without impressions. */
        public double ctr() {
            return impressions == 0 ? 0 : (double) clicks / impressions;
        }

        /** Conversions per impression; 0 without impressions. */
        public double conversionRate() {
            return impressions == 0 ? 0 : (double) converts / impressions;
        }
    }

    /**
     * The release log as read from {@code model-releases}. The topic is compacted by model version,
     * so once the cleaner has run, a version released twice (a rollback to it) counts once: the
     * counts are of the records still in the log, not of every release ever made.
     *
     * @param publishes records of kind PUBLISH
     * @param rollbacks records of kind ROLLBACK
     * @param latestSequence the highest sequence seen; -1 when the log is empty
     * @param liveVersion the version of the record with the highest sequence; null when empty
     * @param liveKind PUBLISH or ROLLBACK for that record; null when empty
     * @param livePublishedAt when that record was published; null when empty
     */
    public record ReleaseHistory(
            long publishes,
            long rollbacks,
            long latestSequence,
            @Nullable String liveVersion,
            @Nullable String liveKind,
            @Nullable Instant livePublishedAt) {

        /** An empty log. */
        public static final ReleaseHistory EMPTY = new ReleaseHistory(0, 0, -1, null, null, null);

        /** How long the live version has been live at {@code now}; null when none is. */
        @Nullable
        public Duration liveAge(Instant now) {
            if (livePublishedAt == null) {
                return null;
            }
            return livePublishedAt.isAfter(now)
                    ? Duration.ZERO
                    : Duration.between(livePublishedAt, now);
        }
    }

    /**
     * The scorer service's counters from its {@code /metrics} page.
     *
     * @param url the page read
     * @param liveVersion the scorer's live model version; null when unknown
     * @param swaps models that became live
     * @param refusedBundles bundles a load check refused
     * @param staleReleases releases ignored as not newer than the last applied
     * @param error why the page could not be read; null when it was
     */
    public record ScorerStatus(
            String url,
            @Nullable String liveVersion,
            long swaps,
            long refusedBundles,
            long staleReleases,
            @Nullable String error) {

        /** A scorer that could not be read. */
        public static ScorerStatus unreachable(String url, String error) {
            return new ScorerStatus(url, null, 0, 0, 0, error);
        }
    }
}
