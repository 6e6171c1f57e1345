package io.nextlog.ingest;

/** What a user was last offered on one channel, for the contact policy. A Flink POJO. */
public class ChannelOffer {

    /** The item in the first slot, or sent, last time; null before any offer. */
    public String topItem;

    /** The recommendation that placed it. */
    public String recommendationId;

    /** True once the user unsubscribed from the channel. */
    public boolean unsubscribed;

    /** For Flink's POJO serializer. */
    public ChannelOffer() {}
}
