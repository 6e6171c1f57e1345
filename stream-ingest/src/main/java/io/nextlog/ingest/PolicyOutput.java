package io.nextlog.ingest;

import io.nextlog.schemas.event.Contact;
import io.nextlog.schemas.event.Recommendation;
import io.nextlog.schemas.event.RecommendationContext;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * What the contact policy decided for one user and channel: a recommendation to publish (with the
 * context the feedback updater joins on), a contact, or the removal of the user's recommendation
 * after an unsubscribe. A Flink POJO; the values are Avro records.
 */
public class PolicyOutput {

    /** The user. */
    public String userId;

    /** The channel. */
    public String channel;

    /** The recommendation to publish, or null. */
    @Nullable public Recommendation recommendation;

    /** What was scored for it, or null. */
    @Nullable public RecommendationContext context;

    /** A new offer placed or message decided, or null. */
    @Nullable public Contact contact;

    /** True to delete the user's recommendation on this channel (a tombstone). */
    public boolean withdrawn;

    /** For Flink's POJO serializer. */
    public PolicyOutput() {}

    static PolicyOutput published(
            Recommendation recommendation,
            RecommendationContext context,
            @Nullable Contact contact) {
        PolicyOutput out = new PolicyOutput();
        out.userId = recommendation.getUserId();
        out.channel = recommendation.getChannel();
        out.recommendation = recommendation;
        out.context = context;
        out.contact = contact;
        return out;
    }

    static PolicyOutput withdrawn(String userId, String channel) {
        PolicyOutput out = new PolicyOutput();
        out.userId = userId;
        out.channel = channel;
        out.withdrawn = true;
        return out;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PolicyOutput that
                && withdrawn == that.withdrawn
                && Objects.equals(userId, that.userId)
                && Objects.equals(channel, that.channel)
                && Objects.equals(recommendation, that.recommendation)
                && Objects.equals(context, that.context)
                && Objects.equals(contact, that.contact);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, channel, withdrawn);
    }

    @Override
    public String toString() {
        return "PolicyOutput["
                + userId
                + " "
                + channel
                + (withdrawn ? " withdrawn" : "")
                + (contact != null ? " contact " + contact.getItem() : "")
                + "]";
    }
}
