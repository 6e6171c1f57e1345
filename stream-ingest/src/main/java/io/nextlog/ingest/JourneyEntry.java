package io.nextlog.ingest;

import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import java.time.Instant;
import java.util.Objects;

/**
 * One event as a journey keeps it: item, domain ordinal and event time, nothing else (about 30
 * bytes for a typical item id). A Flink POJO, so its serializer can evolve with the state.
 */
public class JourneyEntry {

    /** The raw item id. */
    public String item;

    /** {@link Domain#ordinal()}; stored as a number to keep the entry small. */
    public int domain;

    /** Event time, epoch millis. */
    public long timeMs;

    /** For Flink's POJO serializer. */
    public JourneyEntry() {}

    JourneyEntry(String item, Domain domain, long timeMs) {
        this.item = item;
        this.domain = domain.ordinal();
        this.timeMs = timeMs;
    }

    /** Returns the step the model and the contracts use. */
    JourneyStep toStep() {
        Domain[] domains = Domain.values();
        return JourneyStep.newBuilder()
                .setItem(item)
                .setDomain(domain < domains.length ? domains[domain] : Domain.UNKNOWN)
                .setEventTime(Instant.ofEpochMilli(timeMs))
                .build();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JourneyEntry that
                && domain == that.domain
                && timeMs == that.timeMs
                && Objects.equals(item, that.item);
    }

    @Override
    public int hashCode() {
        return Objects.hash(item, domain, timeMs);
    }
}
