package io.nextlog.scorer;

import io.nextlog.schemas.event.Domain;
import io.nextlog.scorer.config.ScorerConfig;
import io.nextlog.scorer.config.ScorerOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * How results are ranked.
 *
 * @param defaultTopK items per channel when a request does not say
 * @param maxTopK the most items per channel a request may ask for
 * @param consumedWithin journey events of {@code consumedDomains} newer than this keep their item
 *     out of the ranking; zero turns it off
 * @param consumedDomains the domains that count as consuming an item
 */
public record RankingSettings(
        int defaultTopK, int maxTopK, Duration consumedWithin, Set<Domain> consumedDomains) {

    /** Copies the domain set. */
    public RankingSettings {
        consumedDomains =
                consumedDomains.isEmpty()
                        ? EnumSet.noneOf(Domain.class)
                        : EnumSet.copyOf(consumedDomains);
    }

    /** Reads the {@code scorer.ranking.*} options. */
    public static RankingSettings from(ScorerConfig config) {
        Set<Domain> domains = EnumSet.noneOf(Domain.class);
        config.get(ScorerOptions.CONSUMED_DOMAINS).forEach(d -> domains.add(Domain.valueOf(d)));
        return new RankingSettings(
                config.get(ScorerOptions.TOP_K),
                config.get(ScorerOptions.MAX_TOP_K),
                config.get(ScorerOptions.CONSUMED_WINDOW),
                domains);
    }
}
