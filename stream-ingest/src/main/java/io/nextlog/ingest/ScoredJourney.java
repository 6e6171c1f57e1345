package io.nextlog.ingest;

import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.schemas.event.Recommendation;
import java.util.Arrays;
import java.util.Objects;

/**
 * A scored journey: one recommendation per channel, all from one model version, with the journey as
 * the model saw it. A Flink POJO; recommendations and steps are Avro records.
 */
public class ScoredJourney {

    /** The pseudonymous user id. */
    public String userId;

    /** The journey as scored, oldest first, capped at the model's maximum length. */
    public JourneyStep[] journey;

    /** One per channel, items best first. */
    public Recommendation[] recommendations;

    /** Processing time the scoring task was emitted, epoch millis. */
    public long emittedAtMs;

    /** For Flink's POJO serializer. */
    public ScoredJourney() {}

    ScoredJourney(
            String userId,
            JourneyStep[] journey,
            Recommendation[] recommendations,
            long emittedAtMs) {
        this.userId = userId;
        this.journey = journey;
        this.recommendations = recommendations;
        this.emittedAtMs = emittedAtMs;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScoredJourney that
                && emittedAtMs == that.emittedAtMs
                && Objects.equals(userId, that.userId)
                && Arrays.equals(journey, that.journey)
                && Arrays.equals(recommendations, that.recommendations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, emittedAtMs, Arrays.hashCode(recommendations));
    }
}
