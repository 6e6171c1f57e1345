package io.nextlog.trainer;

import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random journeys for tests: items "i0".."i(n-1)", real domains, gaps from seconds to days. */
final class SyntheticJourneys {

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final Domain[] DOMAINS = {
        Domain.APP_USE, Domain.CALL, Domain.TV_VIEWING, Domain.PURCHASE, Domain.LOCATION_VISIT
    };

    private final Random random;
    private final int itemCount;

    SyntheticJourneys(long seed, int itemCount) {
        this.random = new Random(seed);
        this.itemCount = itemCount;
    }

    /** A journey of random items of the given length. */
    List<JourneyStep> journey(int length) {
        List<JourneyStep> steps = new ArrayList<>(length);
        Instant time = START.plusSeconds(random.nextInt(86_400));
        for (int i = 0; i < length; i++) {
            time = time.plusSeconds(1L << random.nextInt(18));
            steps.add(step("i" + random.nextInt(itemCount), time));
        }
        return steps;
    }

    /** Many journeys with lengths in [minLength, maxLength]. */
    List<List<JourneyStep>> journeys(int count, int minLength, int maxLength) {
        List<List<JourneyStep>> journeys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            journeys.add(journey(minLength + random.nextInt(maxLength - minLength + 1)));
        }
        return journeys;
    }

    JourneyStep step(String item, Instant time) {
        return new JourneyStep(item, anyDomain(random), time);
    }

    /** A random real domain. */
    static Domain anyDomain(Random random) {
        return DOMAINS[random.nextInt(DOMAINS.length)];
    }

    /** Occurrence counts of every item in the journeys, to build a vocabulary from. */
    static Map<String, Long> counts(List<List<JourneyStep>> journeys) {
        Map<String, Long> counts = new HashMap<>();
        for (List<JourneyStep> journey : journeys) {
            for (JourneyStep step : journey) {
                counts.merge(step.getItem(), 1L, Long::sum);
            }
        }
        return counts;
    }
}
