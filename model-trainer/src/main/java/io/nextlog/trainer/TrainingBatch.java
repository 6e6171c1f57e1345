package io.nextlog.trainer;

import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.tokenize.JourneyTokenizer;
import io.nextlog.tokenize.TokenBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Inputs and next-item targets for one training step.
 *
 * <p>The input of a journey is all but its last event, tokenised exactly as the scorer will
 * tokenise it; the target at each column is the item of the event after that column's event. Both
 * come from the same {@link JourneyTokenizer}, so training and serving cannot drift apart.
 *
 * @param inputs (B, T) ids
 * @param targetItemIds (B, T) row-major next-item ids; 0 where there is nothing to predict
 */
public record TrainingBatch(TokenBatch inputs, long[] targetItemIds) {

    /**
     * Builds a batch from whole journeys.
     *
     * @param tokenizer the model's tokenizer
     * @param journeys B journeys, oldest event first; journeys shorter than 2 events add nothing to
     *     the loss
     * @param timeSteps T, at most the model's maxLength
     */
    public static TrainingBatch of(
            JourneyTokenizer tokenizer, List<List<JourneyStep>> journeys, int timeSteps) {
        List<List<JourneyStep>> prefixes = new ArrayList<>(journeys.size());
        for (List<JourneyStep> journey : journeys) {
            prefixes.add(journey.subList(0, Math.max(0, journey.size() - 1)));
        }

        // Column t of the whole journey holds the event after column t of the prefix.
        TokenBatch inputs = tokenizer.tokenize(prefixes, timeSteps);
        TokenBatch shifted = tokenizer.tokenize(journeys, timeSteps);
        return new TrainingBatch(inputs, shifted.itemIds());
    }
}
