package io.nextlog.ingest;

import io.nextlog.schemas.event.JourneyStep;
import java.util.Arrays;
import java.util.Objects;

/**
 * A journey the journey operator wants scored: a snapshot of the user's newest events, oldest
 * first, with the arm the user is in. A Flink POJO; the steps are Avro records.
 */
public class ScoringTask {

    /** The pseudonymous user id. */
    public String userId;

    /** The user's experiment arm. */
    public String arm;

    /** The journey snapshot, oldest first. */
    public JourneyStep[] journey;

    /** Event time of the newest event in the journey, epoch millis. */
    public long sourceEventTimeMs;

    /** Processing time the task was emitted, epoch millis; scoring latency starts here. */
    public long emittedAtMs;

    /** For Flink's POJO serializer. */
    public ScoringTask() {}

    ScoringTask(
            String userId,
            String arm,
            JourneyStep[] journey,
            long sourceEventTimeMs,
            long emittedAtMs) {
        this.userId = userId;
        this.arm = arm;
        this.journey = journey;
        this.sourceEventTimeMs = sourceEventTimeMs;
        this.emittedAtMs = emittedAtMs;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScoringTask that
                && sourceEventTimeMs == that.sourceEventTimeMs
                && emittedAtMs == that.emittedAtMs
                && Objects.equals(userId, that.userId)
                && Objects.equals(arm, that.arm)
                && Arrays.equals(journey, that.journey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, arm, sourceEventTimeMs, emittedAtMs, Arrays.hashCode(journey));
    }

    @Override
    public String toString() {
        return "ScoringTask[" + userId + ", " + arm + ", " + journey.length + " events]";
    }
}
