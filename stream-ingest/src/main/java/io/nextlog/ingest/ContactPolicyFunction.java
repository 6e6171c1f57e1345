package io.nextlog.ingest;

import io.nextlog.schemas.channel.Channel;
import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.event.Contact;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.event.RankedItem;
import io.nextlog.schemas.event.Recommendation;
import io.nextlog.schemas.event.RecommendationContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.annotation.Nullable;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Applies the {@link ContactPolicy} to scored journeys, keyed by user, and remembers the user's
 * dismissals and unsubscribes from their feedback.
 *
 * <p>Per channel of a scored journey: items the user dismissed within the suppression period are
 * removed, and so are items offered within the cooldown unless they are the channel's current top
 * item (the offer standing in the slot is not "offered again" by staying there). If the first
 * remaining item differs from the channel's current top item, placing it is a new contact: it must
 * fit the channel's and the total daily caps, and for outbound channels fall outside quiet hours;
 * otherwise the channel is held back and the reason counted. An in-app channel whose top item stays
 * the same gets its refreshed list without a new contact; an outbound channel sends nothing new
 * then. After an unsubscribe, the channel's recommendation for the user is withdrawn (a tombstone
 * on the compacted topic) and nothing more is placed there.
 *
 * <p>Days and quiet hours are judged on processing time in the policy's zone: contacts happen now,
 * whatever the event times of the journey.
 */
final class ContactPolicyFunction
        extends KeyedCoProcessFunction<String, ScoredJourney, FeedbackEvent, PolicyOutput> {

    private static final long serialVersionUID = 1L;
    private static final String TOTAL = "*";

    private final ContactPolicy policy;

    private transient Channels channels;
    private transient MapState<String, ChannelOffer> offers;
    private transient MapState<String, Long> lastOfferedMs;
    private transient MapState<String, Long> suppressedUntilMs;
    private transient ValueState<Long> countedDay;
    private transient MapState<String, Integer> contactsToday;
    private transient Map<String, Counter> held;
    private transient Counter contacts;

    ContactPolicyFunction(ContactPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void open(OpenContext openContext) {
        channels = Channels.defaults();
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(policy.ttl())
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build();
        offers = map("offers", TypeInformation.of(ChannelOffer.class), ttl);
        lastOfferedMs = map("last-offered-ms", Types.LONG, ttl);
        suppressedUntilMs = map("suppressed-until-ms", Types.LONG, ttl);
        contactsToday = map("contacts-today", Types.INT, ttl);
        ValueStateDescriptor<Long> day = new ValueStateDescriptor<>("counted-day", Types.LONG);
        day.enableTimeToLive(ttl);
        countedDay = getRuntimeContext().getState(day);
        held = new ConcurrentHashMap<>();
        contacts = getRuntimeContext().getMetricGroup().counter("contacts");
    }

    private <V> MapState<String, V> map(String name, TypeInformation<V> type, StateTtlConfig ttl) {
        MapStateDescriptor<String, V> descriptor =
                new MapStateDescriptor<>(name, Types.STRING, type);
        descriptor.enableTimeToLive(ttl);
        return getRuntimeContext().getMapState(descriptor);
    }

    @Override
    public void processElement1(ScoredJourney scored, Context ctx, Collector<PolicyOutput> out)
            throws Exception {
        long nowMs = ctx.timerService().currentProcessingTime();
        Instant now = Instant.ofEpochMilli(nowMs);
        rollDay(now);
        for (Recommendation recommendation : scored.recommendations) {
            Optional<PolicyOutput> decided = decide(scored, recommendation, now);
            if (decided.isPresent()) {
                out.collect(decided.get());
            }
        }
    }

    private Optional<PolicyOutput> decide(
            ScoredJourney scored, Recommendation recommendation, Instant now) throws Exception {
        String channelId = recommendation.getChannel();
        Optional<Channel> channel = channels.find(channelId);
        if (channel.isEmpty()) {
            return hold("unknown-channel");
        }
        ChannelOffer offer = offers.get(channelId);
        if (offer != null && offer.unsubscribed) {
            return hold("unsubscribed");
        }
        String standing = offer == null ? null : offer.topItem;
        List<RankedItem> eligible = eligible(recommendation.getItems(), standing, now);
        if (eligible.isEmpty()) {
            return hold("nothing-eligible");
        }
        String top = eligible.get(0).getItemId();
        boolean newOffer = !top.equals(standing);
        if (newOffer && standing != null) {
            // The old offer leaves the slot: from now on it cools down like any other.
            eligible = eligible(recommendation.getItems(), top, now);
        }
        boolean outbound = channel.get().isOutbound();

        Contact contact = null;
        if (newOffer) {
            Optional<String> refusal = refusal(channelId, outbound, now);
            if (refusal.isPresent()) {
                return hold(refusal.get());
            }
            contact = contact(recommendation, channel.get(), top, now);
            record(channelId, top, recommendation.getRecommendationId(), offer, now);
        } else if (outbound) {
            return hold("already-sent");
        }
        Recommendation published =
                Recommendation.newBuilder(recommendation).setItems(eligible).build();
        return Optional.of(PolicyOutput.published(published, context(scored, published), contact));
    }

    /** Items neither dismissed nor cooling down; {@code standing} is exempt from the cooldown. */
    private List<RankedItem> eligible(
            List<RankedItem> items, @Nullable String standing, Instant now) throws Exception {
        long nowMs = now.toEpochMilli();
        long cooldownMs = policy.cooldown().toMillis();
        List<RankedItem> eligible = new ArrayList<>(items.size());
        for (RankedItem item : items) {
            String id = item.getItemId();
            Long suppressedUntil = suppressedUntilMs.get(id);
            if (suppressedUntil != null && suppressedUntil > nowMs) {
                continue;
            }
            Long offered = lastOfferedMs.get(id);
            if (offered != null && nowMs - offered < cooldownMs && !id.equals(standing)) {
                continue;
            }
            eligible.add(item);
        }
        return eligible;
    }

    private Optional<String> refusal(String channelId, boolean outbound, Instant now)
            throws Exception {
        if (outbound && policy.isQuiet(now)) {
            return Optional.of("quiet-hours");
        }
        if (count(channelId) >= policy.dailyCapPerChannel()) {
            return Optional.of("channel-cap");
        }
        if (count(TOTAL) >= policy.dailyCapTotal()) {
            return Optional.of("total-cap");
        }
        return Optional.empty();
    }

    private void record(
            String channelId, String top, String recommendationId, ChannelOffer offer, Instant now)
            throws Exception {
        ChannelOffer next = offer == null ? new ChannelOffer() : offer;
        next.topItem = top;
        next.recommendationId = recommendationId;
        offers.put(channelId, next);
        lastOfferedMs.put(top, now.toEpochMilli());
        contactsToday.put(channelId, count(channelId) + 1);
        contactsToday.put(TOTAL, count(TOTAL) + 1);
        contacts.inc();
    }

    private int count(String key) throws Exception {
        Integer count = contactsToday.get(key);
        return count == null ? 0 : count;
    }

    /** Starts the day's counts afresh when the calendar day changed. */
    private void rollDay(Instant now) throws Exception {
        long today = policy.dayOf(now);
        Long counted = countedDay.value();
        if (counted == null || counted != today) {
            contactsToday.clear();
            countedDay.update(today);
        }
    }

    private static Contact contact(
            Recommendation recommendation, Channel channel, String item, Instant now) {
        return Contact.newBuilder()
                .setContactId(recommendation.getRecommendationId() + "/" + item)
                .setUserId(recommendation.getUserId())
                .setChannel(channel.id())
                .setKind(channel.kind())
                .setItem(item)
                .setRecommendationId(recommendation.getRecommendationId())
                .setModelVersion(recommendation.getModelVersion())
                .setExperimentArm(recommendation.getExperimentArm())
                .setContactedAt(now)
                .build();
    }

    private static RecommendationContext context(ScoredJourney scored, Recommendation published) {
        return RecommendationContext.newBuilder()
                .setRecommendationId(published.getRecommendationId())
                .setUserId(published.getUserId())
                .setChannel(published.getChannel())
                .setItems(published.getItems().stream().map(RankedItem::getItemId).toList())
                .setJourney(List.of(scored.journey))
                .setModelVersion(published.getModelVersion())
                .setExperimentArm(published.getExperimentArm())
                .setGeneratedAt(published.getGeneratedAt())
                .build();
    }

    private Optional<PolicyOutput> hold(String reason) {
        held.computeIfAbsent(
                        reason,
                        r ->
                                getRuntimeContext()
                                        .getMetricGroup()
                                        .addGroup("held", r)
                                        .counter("count"))
                .inc();
        return Optional.empty();
    }

    @Override
    public void processElement2(FeedbackEvent feedback, Context ctx, Collector<PolicyOutput> out)
            throws Exception {
        FeedbackAction action = feedback.getAction();
        if (action == FeedbackAction.DISMISS) {
            long until =
                    feedback.getEventTime().toEpochMilli() + policy.dismissSuppression().toMillis();
            suppressedUntilMs.put(feedback.getItem(), until);
        } else if (action == FeedbackAction.UNSUBSCRIBE) {
            ChannelOffer offer = offers.get(feedback.getChannel());
            ChannelOffer next = offer == null ? new ChannelOffer() : offer;
            next.unsubscribed = true;
            offers.put(feedback.getChannel(), next);
            out.collect(PolicyOutput.withdrawn(feedback.getUserId(), feedback.getChannel()));
        }
    }
}
