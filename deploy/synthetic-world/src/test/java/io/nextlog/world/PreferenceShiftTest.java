package io.nextlog.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.schemas.event.BehaviorEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PreferenceShiftTest {

    private static final WorldConfig BASE =
            WorldConfig.builder().seed(9).customers(1_000).events(120_000).days(10).build();

    /** Events in the category, and all events, before and after an instant. */
    private static final class Shares {
        long before;
        long beforeInCategory;
        long after;
        long afterInCategory;

        double beforeShare() {
            return (double) beforeInCategory / before;
        }

        double afterShare() {
            return (double) afterInCategory / after;
        }
    }

    @Test
    void shouldTurnTheShiftedGroupTowardsTheCategoryAndLeaveTheOthers() {
        Instant at = BASE.start().plus(Duration.ofDays(5));
        PreferenceShift shift = new PreferenceShift(at, 0.3, Category.GAMING, 0.6);
        SyntheticWorld world =
                SyntheticWorld.create(BASE.toBuilder().preferenceShift(shift).build());

        Shares shifted = new Shares();
        Shares others = new Shares();
        int groupSize = 0;
        for (int position = 0; position < world.population().size(); position++) {
            Customer customer = world.population().customers().get(position);
            groupSize += customer.isShifted() ? 1 : 0;
            Shares shares = customer.isShifted() ? shifted : others;
            for (BehaviorEvent event : world.journey(position)) {
                count(world, event, at, Category.GAMING, shares);
            }
        }
        System.out.printf(
                "gaming share of events: shifted group %.3f -> %.3f, others %.3f -> %.3f (group"
                        + " %d of %d)%n",
                shifted.beforeShare(),
                shifted.afterShare(),
                others.beforeShare(),
                others.afterShare(),
                groupSize,
                world.population().size());

        assertTrue(groupSize > 200 && groupSize < 400, "group of " + groupSize);
        assertTrue(shifted.afterShare() > 2.5 * shifted.beforeShare());
        double othersRatio = others.afterShare() / others.beforeShare();
        assertTrue(othersRatio > 0.8 && othersRatio < 1.25, "others changed by " + othersRatio);
    }

    /** A shift in responses only: the group's journeys stay as they were, their answers turn. */
    @Test
    void shouldLeaveTheJourneysAsTheyWereWhenTheShiftIsInResponsesOnly() {
        Instant at = BASE.start().plus(Duration.ofDays(5));
        PreferenceShift shift = new PreferenceShift(at, 0.3, Category.GAMING, 0.6, false);
        SyntheticWorld world =
                SyntheticWorld.create(BASE.toBuilder().preferenceShift(shift).build());
        SyntheticWorld unshifted = SyntheticWorld.create(BASE);

        int shiftedCustomers = 0;
        for (int position = 0; position < world.population().size(); position++) {
            Customer customer = world.population().customers().get(position);
            assertEquals(unshifted.journey(position), world.journey(position), customer.toString());
            if (customer.isShifted()) {
                shiftedCustomers++;
                assertEquals(1.0, customer.affinity(Category.GAMING, at), 1e-12);
            }
        }
        assertTrue(shiftedCustomers > 200, "group of " + shiftedCustomers);
    }

    @Test
    void shouldMakeTheNewCampaignHeadlinePopularOnlyOnceItIsValid() {
        WorldConfig config = BASE.toBuilder().trendingCampaign(true).build();
        SyntheticWorld trending = SyntheticWorld.create(config);
        SyntheticWorld quiet = SyntheticWorld.create(BASE);

        long[] trendingUses = headlineUses(trending, config.newCampaignAt());
        long[] quietUses = headlineUses(quiet, config.newCampaignAt());
        System.out.printf(
                "%s uses before/after launch: trending %d/%d, without trend %d/%d%n",
                OfferCatalog.NEW_CAMPAIGN_HEADLINE,
                trendingUses[0],
                trendingUses[1],
                quietUses[0],
                quietUses[1]);

        assertEquals(0, trendingUses[0]);
        assertTrue(trendingUses[1] > 5 * Math.max(1, quietUses[1]));
    }

    private static long[] headlineUses(SyntheticWorld world, Instant launch) {
        long[] uses = new long[2];
        world.eventsByUser()
                .filter(e -> e.getItem().equals(OfferCatalog.NEW_CAMPAIGN_HEADLINE))
                .forEach(e -> uses[e.getEventTime().isBefore(launch) ? 0 : 1]++);
        return uses;
    }

    private static void count(
            SyntheticWorld world,
            BehaviorEvent event,
            Instant at,
            Category category,
            Shares shares) {
        Optional<Category> itemCategory =
                BehaviorItems.standard()
                        .category(event.getItem())
                        .or(() -> world.catalog().category(event.getItem()));
        boolean inCategory = itemCategory.filter(category::equals).isPresent();
        if (event.getEventTime().isBefore(at)) {
            shares.before++;
            shares.beforeInCategory += inCategory ? 1 : 0;
        } else {
            shares.after++;
            shares.afterInCategory += inCategory ? 1 : 0;
        }
    }
}
