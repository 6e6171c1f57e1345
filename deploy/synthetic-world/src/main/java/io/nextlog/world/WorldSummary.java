package io.nextlog.world;

import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.Domain;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Counts what a stream of behavior events holds: events per customer, per domain and the distinct
 * items per domain. The command prints it after generating; tests read the counts. Not thread-safe.
 */
public final class WorldSummary {

    private final Map<String, Integer> eventsByUser = new HashMap<>();
    private final Map<Domain, Long> eventsByDomain = new EnumMap<>(Domain.class);
    private final Map<Domain, Set<String>> itemsByDomain = new EnumMap<>(Domain.class);
    private long events;

    /** Counts one event. */
    public void accept(BehaviorEvent event) {
        eventsByUser.merge(event.getUserId(), 1, Integer::sum);
        eventsByDomain.merge(event.getDomain(), 1L, Long::sum);
        itemsByDomain.computeIfAbsent(event.getDomain(), d -> new HashSet<>()).add(event.getItem());
        events++;
    }

    /** Number of events counted. */
    public long events() {
        return events;
    }

    /** Number of distinct users seen. */
    public int customers() {
        return eventsByUser.size();
    }

    /** Events of {@code domain}. */
    public long events(Domain domain) {
        return eventsByDomain.getOrDefault(domain, 0L);
    }

    /** Distinct items of {@code domain}. */
    public int distinctItems(Domain domain) {
        return itemsByDomain.getOrDefault(domain, Set.of()).size();
    }

    /** The {@code q}-quantile (0..1, nearest rank) of events per customer; 0 when empty. */
    public int eventsPerCustomerQuantile(double q) {
        int[] counts = sortedCounts();
        if (counts.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * counts.length) - 1;
        return counts[Math.max(0, Math.min(counts.length - 1, rank))];
    }

    private int[] sortedCounts() {
        int[] counts = eventsByUser.values().stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(counts);
        return counts;
    }

    /** A table for people: totals, the events-per-customer spread and one row per domain. */
    public String format() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("events               %,d%n", events));
        out.append(String.format("customers            %,d%n", customers()));
        out.append(
                String.format(
                        "events per customer  min %d  p10 %d  p50 %d  p90 %d  p99 %d  max %d  mean"
                                + " %.1f%n",
                        eventsPerCustomerQuantile(0),
                        eventsPerCustomerQuantile(0.10),
                        eventsPerCustomerQuantile(0.50),
                        eventsPerCustomerQuantile(0.90),
                        eventsPerCustomerQuantile(0.99),
                        eventsPerCustomerQuantile(1.0),
                        customers() == 0 ? 0.0 : (double) events / customers()));
        out.append(
                String.format(
                        "%-18s %12s %7s %15s%n", "domain", "events", "share", "distinct items"));
        for (Domain domain : Domain.values()) {
            if (domain == Domain.UNKNOWN) {
                continue;
            }
            long count = events(domain);
            out.append(
                    String.format(
                            "%-18s %,12d %6.1f%% %15d%n",
                            domain,
                            count,
                            events == 0 ? 0.0 : 100.0 * count / events,
                            distinctItems(domain)));
        }
        return out.toString();
    }
}
