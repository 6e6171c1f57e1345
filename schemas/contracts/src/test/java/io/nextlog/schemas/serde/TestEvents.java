package io.nextlog.schemas.serde;

import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.identity.Pseudonymizer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Deterministic behavior events for serde tests and the serde benchmark. */
final class TestEvents {

    private static final Domain[] DOMAINS = {
        Domain.APP_USE,
        Domain.CALL,
        Domain.TV_VIEWING,
        Domain.DATA_USAGE,
        Domain.LOCATION_VISIT,
        Domain.PURCHASE,
        Domain.CAMPAIGN_RESPONSE
    };

    private TestEvents() {}

    static List<BehaviorEvent> behaviorEvents(int count) {
        Pseudonymizer ids =
                new Pseudonymizer(
                        "serde test key, not a production secret".getBytes(StandardCharsets.UTF_8));
        List<BehaviorEvent> events = new ArrayList<>(count);
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            Domain domain = DOMAINS[i % DOMAINS.length];
            events.add(
                    BehaviorEvent.newBuilder()
                            .setEventId("ev-" + i)
                            .setUserId(ids.derive("customer-" + (i % 997)))
                            .setEventTime(start.plusSeconds(37L * i))
                            .setDomain(domain)
                            .setItem(domain.name().toLowerCase() + "-" + (i % 131))
                            .setAttributes(
                                    i % 3 == 0
                                            ? Map.of("durationSec", String.valueOf(i % 600))
                                            : Map.of())
                            .build());
        }
        return events;
    }
}
