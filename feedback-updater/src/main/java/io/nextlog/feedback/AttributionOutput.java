package io.nextlog.feedback;

import io.nextlog.schemas.event.DeadLetter;
import io.nextlog.schemas.event.TrainingExample;

/** What attributing one feedback event (or closing an impression window) produces. */
sealed interface AttributionOutput {

    /** A training example for {@code training-examples}. */
    record Example(TrainingExample example) implements AttributionOutput {}

    /**
     * One attributed action for the online metrics of {@code channel|modelVersion|arm}.
     *
     * @param action lower-case action name, e.g. {@code click}
     */
    record MetricEvent(String metricKey, String action) implements AttributionOutput {}

    /** A refused or unattributable feedback event for {@code dead-letters}. */
    record Letter(DeadLetter letter) implements AttributionOutput {}
}
