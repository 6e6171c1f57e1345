package io.nextlog.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.schemas.event.BehaviorEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlantedCauseTest {

    private static final WorldConfig BASE =
            WorldConfig.builder().seed(5).customers(1_000).events(100_000).build();

    /** How often a trigger is followed at once by its consequence, and the reverse view. */
    private record CauseCounts(
            int triggers,
            int triggerThenConsequence,
            int consequences,
            int consequenceAfterTrigger) {

        double followRate() {
            return (double) triggerThenConsequence / triggers;
        }

        double explainedRate() {
            return (double) consequenceAfterTrigger / consequences;
        }
    }

    @Test
    void shouldFollowEveryTriggerWithItsConsequenceAsTheNextEvent() {
        SyntheticWorld world =
                SyntheticWorld.create(
                        BASE.toBuilder().plantedCauses(PlantedCause.defaults()).build());

        for (PlantedCause cause : PlantedCause.defaults()) {
            CauseCounts counts = count(world, cause);

            assertTrue(counts.triggers() >= 30, cause.triggerItem() + " seen " + counts.triggers());
            assertEquals(counts.triggers(), counts.triggerThenConsequence(), cause.triggerItem());
            assertTrue(
                    counts.explainedRate() > 0.5,
                    cause.consequenceItem()
                            + " preceded by its trigger in "
                            + counts.explainedRate());
        }
    }

    @Test
    void shouldLeaveTheConsequenceRareAfterTheTriggerWithoutPlanting() {
        SyntheticWorld planted =
                SyntheticWorld.create(
                        BASE.toBuilder().plantedCauses(PlantedCause.defaults()).build());
        SyntheticWorld unplanted = SyntheticWorld.create(BASE);

        for (PlantedCause cause : PlantedCause.defaults()) {
            CauseCounts with = count(planted, cause);
            CauseCounts without = count(unplanted, cause);
            System.out.printf(
                    "%s -> %s: followed %.2f planted vs %.2f not; consequence explained by trigger"
                            + " %.2f planted vs %.2f not%n",
                    cause.triggerItem(),
                    cause.consequenceItem(),
                    with.followRate(),
                    without.followRate(),
                    with.explainedRate(),
                    without.explainedRate());

            assertTrue(without.followRate() < 0.1, "unplanted follow rate " + without.followRate());
            assertTrue(
                    without.explainedRate() < 0.1,
                    "unplanted explained " + without.explainedRate());
        }
    }

    /** Counts over journeys; a trigger that ends a journey has no next event and is skipped. */
    private static CauseCounts count(SyntheticWorld world, PlantedCause cause) {
        int triggers = 0;
        int followed = 0;
        int consequences = 0;
        int explained = 0;
        for (int position = 0; position < world.population().size(); position++) {
            List<BehaviorEvent> journey = world.journey(position);
            for (int i = 0; i + 1 < journey.size(); i++) {
                boolean trigger = journey.get(i).getItem().equals(cause.triggerItem());
                boolean consequenceNext =
                        journey.get(i + 1).getItem().equals(cause.consequenceItem());
                triggers += trigger ? 1 : 0;
                followed += trigger && consequenceNext ? 1 : 0;
                consequences += consequenceNext ? 1 : 0;
                explained += trigger && consequenceNext ? 1 : 0;
            }
        }
        return new CauseCounts(triggers, followed, consequences, explained);
    }
}
