package io.nextlog.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.CatalogItem;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.identity.PseudonymousIds;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticWorldTest {

    private static final WorldConfig SMALL =
            WorldConfig.builder().seed(7).customers(200).events(20_000).build();

    @Test
    void shouldGiveTheSameEventsForTheSameSeed() {
        List<BehaviorEvent> first = SyntheticWorld.create(SMALL).eventsByUser().toList();
        List<BehaviorEvent> second = SyntheticWorld.create(SMALL).eventsByUser().toList();

        assertEquals(first, second);
    }

    @Test
    void shouldGiveOtherCustomersAndEventsForAnotherSeed() {
        List<BehaviorEvent> first = SyntheticWorld.create(SMALL).eventsByUser().toList();
        WorldConfig other = SMALL.toBuilder().seed(8).build();
        List<BehaviorEvent> second = SyntheticWorld.create(other).eventsByUser().toList();

        assertNotEquals(first.get(0).getUserId(), second.get(0).getUserId());
        assertNotEquals(first, second);
    }

    @Test
    void shouldHitTheEventCountExactlyWithPseudonymousIdsInJourneyOrder() {
        SyntheticWorld world = SyntheticWorld.create(SMALL);
        long count = 0;
        BehaviorEvent previous = null;
        for (BehaviorEvent event : (Iterable<BehaviorEvent>) world.eventsByUser()::iterator) {
            assertTrue(PseudonymousIds.defaults().isPseudonymous(event.getUserId()));
            assertNotEquals(Domain.UNKNOWN, event.getDomain());
            if (previous != null) {
                int users = event.getUserId().compareTo(previous.getUserId());
                assertTrue(users >= 0, "users ascending");
                assertTrue(
                        users > 0 || !event.getEventTime().isBefore(previous.getEventTime()),
                        "times ascending within a user");
            }
            previous = event;
            count++;
        }
        assertEquals(SMALL.events(), count);
    }

    @Test
    void shouldMergeAllJourneysInEventTimeOrder() {
        SyntheticWorld world = SyntheticWorld.create(SMALL);
        Iterator<BehaviorEvent> events = world.eventsByTime();
        Instant previous = Instant.MIN;
        long count = 0;
        while (events.hasNext()) {
            Instant time = events.next().getEventTime();
            assertFalse(time.isBefore(previous), "event time went back at event " + count);
            previous = time;
            count++;
        }
        assertEquals(SMALL.events(), count);
    }

    @Test
    void shouldOnlyBuyOrAnswerOffersValidAtTheEventTime() {
        WorldConfig config = SMALL.toBuilder().events(40_000).trendingCampaign(true).build();
        SyntheticWorld world = SyntheticWorld.create(config);
        int campaignEvents = 0;
        for (BehaviorEvent event : world.eventsByUser().toList()) {
            if (event.getDomain() != Domain.PURCHASE
                    && event.getDomain() != Domain.CAMPAIGN_RESPONSE) {
                continue;
            }
            CatalogItem offer = world.catalog().get(event.getItem()).orElseThrow();
            assertTrue(
                    OfferCatalog.isValid(offer, event.getEventTime()),
                    offer.getItemId() + " used at " + event.getEventTime());
            if (OfferCatalog.NEW_CAMPAIGN.equals(offer.getCampaignId())) {
                campaignEvents++;
            }
        }
        assertTrue(campaignEvents > 50, "new campaign offers used " + campaignEvents + " times");
    }

    @Test
    void shouldPublishAnExpiringSaleAndALaterCampaignInTheCatalog() {
        SyntheticWorld world = SyntheticWorld.create(SMALL);
        Instant start = SMALL.start();
        Instant end = start.plus(SMALL.span());

        List<String> atStart = ids(world.catalog().offers("t-deal", start));
        List<String> atEnd = ids(world.catalog().offers("t-deal", end));

        assertTrue(atStart.contains("td:spring-earbuds"));
        assertFalse(atEnd.contains("td:spring-earbuds"));
        assertFalse(atStart.contains("td:summer-bingsu"));
        assertTrue(atEnd.contains("td:summer-bingsu"));
        for (String channel : List.of("t-universe", "t-deal", "t-membership", "mno")) {
            assertTrue(world.catalog().offers(channel, start).size() >= 8, channel);
        }
    }

    private static List<String> ids(List<CatalogItem> items) {
        return items.stream().map(CatalogItem::getItemId).toList();
    }
}
