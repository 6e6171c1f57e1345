package io.nextlog.ingest;

import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.DeadLetter;
import io.nextlog.schemas.event.FeedbackEvent;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * What the Kafka sources hand the job: exactly one of a behavior event, a feedback event or a dead
 * letter for a record that could not be read. A Flink POJO (public fields, no-argument constructor)
 * whose fields are Avro records, so Flink serialises it with its POJO and Avro serializers, never
 * Kryo.
 */
public class JobInput {

    /** A behavior event, or null. */
    @Nullable public BehaviorEvent behavior;

    /** A feedback event, or null. */
    @Nullable public FeedbackEvent feedback;

    /** A record refused at the source, or null. */
    @Nullable public DeadLetter deadLetter;

    /** For Flink's POJO serializer. */
    public JobInput() {}

    /** Wraps a behavior event. */
    public static JobInput of(BehaviorEvent event) {
        JobInput input = new JobInput();
        input.behavior = event;
        return input;
    }

    /** Wraps a feedback event. */
    public static JobInput of(FeedbackEvent event) {
        JobInput input = new JobInput();
        input.feedback = event;
        return input;
    }

    /** Wraps a dead letter. */
    public static JobInput of(DeadLetter letter) {
        JobInput input = new JobInput();
        input.deadLetter = letter;
        return input;
    }

    /** Returns the user id of the event; null for a dead letter. */
    @Nullable
    public String userId() {
        if (behavior != null) {
            return behavior.getUserId();
        }
        return feedback == null ? null : feedback.getUserId();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JobInput that
                && Objects.equals(behavior, that.behavior)
                && Objects.equals(feedback, that.feedback)
                && Objects.equals(deadLetter, that.deadLetter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(behavior, feedback, deadLetter);
    }

    @Override
    public String toString() {
        return "JobInput["
                + (behavior != null ? behavior : feedback != null ? feedback : deadLetter)
                + "]";
    }
}
