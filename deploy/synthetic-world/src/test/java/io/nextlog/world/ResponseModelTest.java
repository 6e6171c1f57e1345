package io.nextlog.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.schemas.channel.Channel;
import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.event.CatalogItem;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.event.RankedItem;
import io.nextlog.schemas.event.Recommendation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ResponseModelTest {

    private static final SyntheticWorld WORLD =
            SyntheticWorld.create(WorldConfig.builder().seed(3).customers(4_000).events(0).build());
    private static final Instant NOON = WorldConfig.DEFAULT_START.plus(Duration.ofHours(12));

    @Test
    void shouldClickPreferenceMatchedOffersFarMoreThanRandomOnes() {
        ResponseModel responses = WORLD.responses();
        SplittableRandom random = new SplittableRandom(1);
        int matchedClicks = 0;
        int randomClicks = 0;
        int perArm = WORLD.population().size() / 2;
        for (int i = 0; i < perArm * 2; i++) {
            Customer customer = WORLD.population().customers().get(i);
            boolean matched = i % 2 == 0;
            String item = matched ? matchedDeal(customer, NOON) : randomDeal(random, NOON);
            List<FeedbackEvent> feedback =
                    responses.respond(recommendation("r" + i, customer, "t-deal", item), NOON);
            int clicks = count(feedback, FeedbackAction.CLICK);
            matchedClicks += matched ? clicks : 0;
            randomClicks += matched ? 0 : clicks;
        }
        double matchedCtr = (double) matchedClicks / perArm;
        double randomCtr = (double) randomClicks / perArm;
        System.out.printf("in-memory CTR: matched %.3f, random %.3f%n", matchedCtr, randomCtr);

        assertTrue(matchedCtr > 2 * randomCtr, matchedCtr + " vs " + randomCtr);
    }

    @Test
    void shouldLowerClickProbabilityWithFatigue() {
        ResponseModel responses = WORLD.responses();
        Customer customer = WORLD.population().customers().get(0);
        Channel tDeal = Channels.defaults().get("t-deal");
        String item = matchedDeal(customer, NOON);

        double rested = responses.clickProbability(customer, tDeal, item, NOON, 0, 0);
        double tired = responses.clickProbability(customer, tDeal, item, NOON, 0, 5);

        assertEquals(rested / 3, tired, 1e-12);
    }

    /**
     * Ten contacts two minutes apart: a customer counting a day of contacts is tired by the tenth,
     * one counting a minute is rested again. Same draws in both models, so only fatigue differs.
     */
    @Test
    void shouldForgetContactsOlderThanTheFatigueWindow() {
        ResponseModel day = WORLD.responses();
        ResponseModel minute = WORLD.responses(Duration.ofMinutes(1));
        int dayClicks = 0;
        int minuteClicks = 0;
        for (Customer customer : WORLD.population().customers()) {
            String item = matchedDeal(customer, NOON);
            for (int contact = 0; contact < 10; contact++) {
                Instant at = NOON.plus(Duration.ofMinutes(2L * contact));
                Recommendation offer =
                        recommendation(
                                "r" + contact + "-" + customer.index(), customer, "t-deal", item);
                int dayAnswer = count(day.respond(offer, at), FeedbackAction.CLICK);
                int minuteAnswer = count(minute.respond(offer, at), FeedbackAction.CLICK);
                if (contact == 9) {
                    dayClicks += dayAnswer;
                    minuteClicks += minuteAnswer;
                }
            }
        }

        assertTrue(minuteClicks > 3 * dayClicks, minuteClicks + " vs " + dayClicks);
    }

    @Test
    void shouldAnswerAnImpressionPerShownItemAndNothingForStrangers() {
        ResponseModel responses = WORLD.responses();
        Customer customer = WORLD.population().customers().get(1);
        Recommendation threeDeals =
                recommendation(
                        "r-x",
                        customer,
                        "t-deal",
                        "td:pizza-half",
                        "td:kids-toy",
                        "td:vitamin-pack");

        List<FeedbackEvent> feedback = responses.respond(threeDeals, NOON);

        assertEquals(3, count(feedback, FeedbackAction.IMPRESSION));
        assertTrue(count(feedback, FeedbackAction.CLICK) <= 1);
        Recommendation stranger =
                Recommendation.newBuilder(threeDeals).setUserId("u_" + "0".repeat(32)).build();
        assertEquals(List.of(), responses.respond(stranger, NOON));
    }

    static String matchedDeal(Customer customer, Instant at) {
        List<CatalogItem> deals = WORLD.catalog().offers("t-deal", at);
        List<Category> categories =
                deals.stream().map(d -> Category.fromId(d.getCategory())).toList();
        Category favourite = customer.favourite(categories, at);
        return deals.get(categories.indexOf(favourite)).getItemId();
    }

    private static String randomDeal(SplittableRandom random, Instant at) {
        List<CatalogItem> deals = WORLD.catalog().offers("t-deal", at);
        return deals.get(random.nextInt(deals.size())).getItemId();
    }

    private static Recommendation recommendation(
            String id, Customer customer, String channel, String... items) {
        return Recommendation.newBuilder()
                .setRecommendationId(id)
                .setUserId(customer.userId())
                .setChannel(channel)
                .setItems(
                        java.util.Arrays.stream(items)
                                .map(item -> new RankedItem(item, 1.0f, ""))
                                .toList())
                .setModelVersion("test")
                .setExperimentArm("live")
                .setGeneratedAt(NOON)
                .setSourceEventTime(NOON)
                .build();
    }

    private static int count(List<FeedbackEvent> feedback, FeedbackAction action) {
        return (int) feedback.stream().filter(f -> f.getAction() == action).count();
    }
}
