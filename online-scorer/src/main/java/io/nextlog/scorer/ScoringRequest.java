package io.nextlog.scorer;

import io.nextlog.schemas.event.JourneyStep;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * One journey to score.
 *
 * @param userId the pseudonymous user id; decides the experiment arm
 * @param journey the user's events, oldest first, with raw item ids; at least one
 * @param channels the channel ids to rank for; empty for every configured channel
 * @param topK items per channel; 0 for the configured default
 * @param excludedItems items never to offer in this answer (say, already shown today)
 * @param now the instant eligibility is judged at; null for the scorer's clock
 */
public record ScoringRequest(
        String userId,
        List<JourneyStep> journey,
        List<String> channels,
        int topK,
        Set<String> excludedItems,
        @Nullable Instant now) {

    /** Copies the collections. */
    public ScoringRequest {
        journey = List.copyOf(journey);
        channels = List.copyOf(channels);
        excludedItems = Set.copyOf(excludedItems);
    }

    /** A request for every channel with the default top-K, nothing excluded, judged now. */
    public static ScoringRequest of(String userId, List<JourneyStep> journey) {
        return new ScoringRequest(userId, journey, List.of(), 0, Set.of(), null);
    }
}
