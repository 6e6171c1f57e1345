package io.nextlog.scorer.reason;

import io.nextlog.schemas.event.ReasonEvent;
import java.util.List;
import java.util.Map;

/**
 * Why a journey got its scores, without anything of a sensitive domain.
 *
 * @param events the strongest non-sensitive events, strongest first; weights are shares of the
 *     non-sensitive attribution
 * @param domainShares share of the non-sensitive attribution per domain symbol, summing to 1 (or
 *     empty when every event was sensitive)
 * @param reasonText a short sentence for the customer; never names a sensitive event
 */
public record Explanation(
        List<ReasonEvent> events, Map<String, Float> domainShares, String reasonText) {

    /** Copies the collections. */
    public Explanation {
        events = List.copyOf(events);
        domainShares = Map.copyOf(domainShares);
    }
}
