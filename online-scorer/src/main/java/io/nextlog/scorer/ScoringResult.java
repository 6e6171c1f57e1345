package io.nextlog.scorer;

import io.nextlog.schemas.event.Recommendation;
import io.nextlog.scorer.model.ModelSlot;
import java.util.List;

/**
 * The answer to one {@link ScoringRequest}.
 *
 * @param userId the user
 * @param arm the user's experiment arm
 * @param slot the model slot the arm is served from
 * @param modelVersion the version of the model that produced every recommendation here
 * @param recommendations one per requested channel, in request order; items best first
 */
public record ScoringResult(
        String userId,
        String arm,
        ModelSlot slot,
        String modelVersion,
        List<Recommendation> recommendations) {

    /** Copies the list. */
    public ScoringResult {
        recommendations = List.copyOf(recommendations);
    }
}
