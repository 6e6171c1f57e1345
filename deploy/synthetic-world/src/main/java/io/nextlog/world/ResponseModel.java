package io.nextlog.world;

import io.nextlog.schemas.channel.Channel;
import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.event.RankedItem;
import io.nextlog.schemas.event.Recommendation;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * How customers answer offers. A delivered recommendation shows its first items (three in an app
 * slot, one in an outbound message); each shown item gets an impression, and the customer clicks at
 * most one, converts after some clicks, and otherwise may dismiss the offer or, on an outbound
 * channel, unsubscribe from it.
 *
 * <p>The click probability of an item is the product of
 *
 * <ul>
 *   <li>a channel base rate ({@value #IN_APP_BASE_CTR} in an app, {@value #OUTBOUND_BASE_CTR} for a
 *       message),
 *   <li>the slot: {@code 1 / (1 + position)},
 *   <li>the hidden preference: {@code 0.08 + 0.92 * affinity^2}, where affinity is the customer's
 *       liking of the item's category relative to their favourite (unknown items count as 0.05),
 *   <li>fatigue: {@code 1 / (1 + 0.4 * contacts in the fatigue window)}, over all channels; the
 *       window is a day, or shorter where the live world compresses days into minutes,
 *   <li>time of day: {@code 0.5 + 0.5 * hourly activity / 9} from the persona's rhythm.
 * </ul>
 *
 * Conversion after a click has probability {@code 0.25 + 0.5 * affinity}. Unsubscribed customers
 * ignore the channel from then on.
 *
 * <p>Draws are seeded by the world seed, the recommendation id and the customer, so the same
 * recommendations in the same order get the same answers. Thread-safe: {@link #respond} is
 * serialised because the contact history is shared.
 */
public final class ResponseModel {

    /** Click probability of a top-slot in-app offer of the favourite category, fully rested. */
    public static final double IN_APP_BASE_CTR = 0.30;

    /** Click probability of an outbound message of the favourite category, fully rested. */
    public static final double OUTBOUND_BASE_CTR = 0.15;

    private static final long RESPONSE_STREAM = 4;
    private static final int IN_APP_VISIBLE_ITEMS = 3;
    private static final double UNKNOWN_ITEM_AFFINITY = 0.05;
    private static final double FATIGUE_PER_CONTACT = 0.4;

    /** The fatigue window of a world that runs in real time. */
    public static final Duration DAY_FATIGUE_WINDOW = Duration.ofHours(24);

    private final long seed;
    private final Population population;
    private final OfferCatalog catalog;
    private final ZoneId zone;
    private final Duration fatigueWindow;
    private final Channels channels = Channels.defaults();
    private final Map<String, Deque<Instant>> contactsByUser = new HashMap<>();
    private final Set<String> unsubscribed = new HashSet<>();

    ResponseModel(
            long seed,
            Population population,
            OfferCatalog catalog,
            ZoneId zone,
            Duration fatigueWindow) {
        if (fatigueWindow.isNegative() || fatigueWindow.isZero()) {
            throw new IllegalArgumentException(
                    "fatigue window: expected a positive duration, found " + fatigueWindow);
        }
        this.seed = seed;
        this.population = population;
        this.catalog = catalog;
        this.zone = zone;
        this.fatigueWindow = fatigueWindow;
    }

    /**
     * The customer's answer to {@code recommendation}, delivered at {@code deliveredAt}: an
     * impression per shown item, then at most one click (maybe followed by a conversion), or a
     * dismissal or unsubscribe. Records the contact for fatigue.
     *
     * @return the feedback in time order; empty when the user is not a customer of this world, the
     *     channel is unknown, or the customer unsubscribed from the channel
     */
    public synchronized List<FeedbackEvent> respond(
            Recommendation recommendation, Instant deliveredAt) {
        Optional<Customer> customer = population.find(recommendation.getUserId());
        Optional<Channel> channel = channels.find(recommendation.getChannel());
        if (customer.isEmpty() || channel.isEmpty()) {
            return List.of();
        }
        String user = customer.get().userId();
        if (unsubscribed.contains(user + "|" + channel.get().id())) {
            return List.of();
        }
        int recentContacts = recordContact(user, deliveredAt);
        return answer(customer.get(), channel.get(), recommendation, deliveredAt, recentContacts);
    }

    private List<FeedbackEvent> answer(
            Customer customer,
            Channel channel,
            Recommendation recommendation,
            Instant at,
            int recentContacts) {
        SplittableRandom random =
                Seeds.random(
                        seed,
                        RESPONSE_STREAM,
                        recommendation.getRecommendationId().hashCode(),
                        customer.index());
        List<RankedItem> shown = shown(channel, recommendation.getItems());
        Feedback feedback = new Feedback(recommendation, at);
        for (RankedItem item : shown) {
            feedback.add(item.getItemId(), FeedbackAction.IMPRESSION, Duration.ZERO);
        }
        for (int position = 0; position < shown.size(); position++) {
            String item = shown.get(position).getItemId();
            double click = clickProbability(customer, channel, item, at, position, recentContacts);
            if (random.nextDouble() < click) {
                feedback.add(
                        item, FeedbackAction.CLICK, Duration.ofSeconds(5 + random.nextInt(55)));
                if (random.nextDouble() < 0.25 + 0.5 * affinity(customer, item, at)) {
                    feedback.add(
                            item,
                            FeedbackAction.CONVERT,
                            Duration.ofMinutes(1 + random.nextInt(10)));
                }
                return feedback.events;
            }
        }
        if (!shown.isEmpty()) {
            rejectTop(
                    customer, channel, shown.get(0).getItemId(), recentContacts, random, feedback);
        }
        return feedback.events;
    }

    private void rejectTop(
            Customer customer,
            Channel channel,
            String item,
            int recentContacts,
            SplittableRandom random,
            Feedback feedback) {
        if (channel.isOutbound()) {
            double unsubscribe = 0.002 + 0.02 * Math.max(0, recentContacts - 2);
            if (random.nextDouble() < unsubscribe) {
                unsubscribed.add(customer.userId() + "|" + channel.id());
                feedback.add(item, FeedbackAction.UNSUBSCRIBE, Duration.ofSeconds(30));
            }
        } else if (random.nextDouble() < Math.min(0.9, 0.3 + 0.1 * recentContacts)) {
            feedback.add(item, FeedbackAction.DISMISS, Duration.ofSeconds(3));
        }
    }

    private static List<RankedItem> shown(Channel channel, List<RankedItem> items) {
        int visible = channel.isOutbound() ? 1 : IN_APP_VISIBLE_ITEMS;
        return items.subList(0, Math.min(visible, items.size()));
    }

    /** Records a contact at {@code at}; returns how many came before it within the window. */
    private int recordContact(String userId, Instant at) {
        Deque<Instant> contacts = contactsByUser.computeIfAbsent(userId, u -> new ArrayDeque<>());
        Instant windowStart = at.minus(fatigueWindow);
        while (!contacts.isEmpty() && contacts.peekFirst().isBefore(windowStart)) {
            contacts.removeFirst();
        }
        int before = contacts.size();
        contacts.addLast(at);
        return before;
    }

    /**
     * The probability that {@code customer} clicks {@code itemId} shown at {@code position} (0 is
     * the top slot) of {@code channel} at {@code at}, after {@code recentContacts} contacts in the
     * fatigue window. The formula is in the class comment.
     */
    public double clickProbability(
            Customer customer,
            Channel channel,
            String itemId,
            Instant at,
            int position,
            int recentContacts) {
        double base = channel.isOutbound() ? OUTBOUND_BASE_CTR : IN_APP_BASE_CTR;
        double slot = 1.0 / (1 + position);
        double liking = affinity(customer, itemId, at);
        double preference = 0.08 + 0.92 * liking * liking;
        double fatigue = 1.0 / (1 + FATIGUE_PER_CONTACT * recentContacts);
        int hour = at.atZone(zone).getHour();
        double timeOfDay = 0.5 + 0.5 * customer.persona().hourWeight(hour) / 9.0;
        return base * slot * preference * fatigue * timeOfDay;
    }

    private double affinity(Customer customer, String itemId, Instant at) {
        return catalog.category(itemId)
                .map(category -> customer.affinity(category, at))
                .orElse(UNKNOWN_ITEM_AFFINITY);
    }

    /** Collects the feedback to one recommendation. */
    private static final class Feedback {
        private final Recommendation recommendation;
        private final Instant deliveredAt;
        private final List<FeedbackEvent> events = new ArrayList<>();

        Feedback(Recommendation recommendation, Instant deliveredAt) {
            this.recommendation = recommendation;
            this.deliveredAt = deliveredAt;
        }

        void add(String item, FeedbackAction action, Duration after) {
            String id = recommendation.getRecommendationId();
            events.add(
                    FeedbackEvent.newBuilder()
                            .setEventId(
                                    id + "/" + item + "/" + action.name().toLowerCase(Locale.ROOT))
                            .setUserId(recommendation.getUserId())
                            .setChannel(recommendation.getChannel())
                            .setItem(item)
                            .setAction(action)
                            .setEventTime(deliveredAt.plus(after))
                            .setRecommendationId(id)
                            .build());
        }
    }
}
