package io.nextlog.trainer.eval;

import io.nextlog.schemas.event.JourneyStep;
import java.util.List;

/** Scores every item id as the next event of each journey; what the evaluation ranks with. */
@FunctionalInterface
public interface Scorer {

    /**
     * @param journeys B journeys, oldest event first
     * @return (B, V) scores by item id of the model's vocabulary, higher is more likely
     */
    float[][] score(List<List<JourneyStep>> journeys);
}
