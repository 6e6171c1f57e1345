package io.nextlog.world;

import io.nextlog.schemas.event.Domain;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A planted cause: whenever a journey has the trigger event, the consequence event is its very next
 * event, about {@code delay} later (sooner when the next event of the day would come first). Tests
 * of explanations check that a recommendation or prediction of the consequence points at the
 * trigger.
 *
 * @param triggerDomain domain of the trigger event
 * @param triggerItem item of the trigger event
 * @param consequenceDomain domain of the consequence event
 * @param consequenceItem item of the consequence event
 * @param delay the usual time from trigger to consequence, positive
 */
public record PlantedCause(
        Domain triggerDomain,
        String triggerItem,
        Domain consequenceDomain,
        String consequenceItem,
        Duration delay) {

    public PlantedCause {
        Objects.requireNonNull(triggerDomain, "triggerDomain");
        Objects.requireNonNull(triggerItem, "triggerItem");
        Objects.requireNonNull(consequenceDomain, "consequenceDomain");
        Objects.requireNonNull(consequenceItem, "consequenceItem");
        if (delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException(
                    "planted cause " + triggerItem + ": expected a positive delay, found " + delay);
        }
    }

    /**
     * The two causes {@code --planted-causes} turns on: watching live baseball is followed by a
     * fried-chicken deal purchase, and a visit to the airport by a roaming pass purchase.
     */
    public static List<PlantedCause> defaults() {
        return List.of(
                new PlantedCause(
                        Domain.TV_VIEWING,
                        "tv:baseball-live",
                        Domain.PURCHASE,
                        "td:chicken-combo",
                        Duration.ofMinutes(25)),
                new PlantedCause(
                        Domain.LOCATION_VISIT,
                        "loc:airport",
                        Domain.PURCHASE,
                        "mno:roaming-pass-7d",
                        Duration.ofMinutes(40)));
    }
}
