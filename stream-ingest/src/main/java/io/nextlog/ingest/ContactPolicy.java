package io.nextlog.ingest;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The contact rules, per user: how often each channel and all channels together may place a new
 * offer per day, how long before the same item may be offered again, when outbound messages stay
 * quiet, and how long a dismissed item stays away. An unsubscribe stops a channel for the user
 * until they subscribe again outside nextlog.
 *
 * @param dailyCapPerChannel new offers per user and channel per calendar day in {@code zone}
 * @param dailyCapTotal new offers per user across all channels per calendar day
 * @param cooldown least time before an item offered to a user is offered to them again
 * @param dismissSuppression how long a dismissed item is not offered to that user
 * @param quietFrom start of quiet hours for outbound channels (local time in {@code zone})
 * @param quietUntil end of quiet hours; before {@code quietFrom} means the quiet spans midnight
 * @param zone the time zone of days and quiet hours
 * @param ttl how long a user's policy state lives after its last write
 */
public record ContactPolicy(
        int dailyCapPerChannel,
        int dailyCapTotal,
        Duration cooldown,
        Duration dismissSuppression,
        LocalTime quietFrom,
        LocalTime quietUntil,
        ZoneId zone,
        Duration ttl)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public ContactPolicy {
        if (dailyCapPerChannel < 0 || dailyCapTotal < 0) {
            throw new IllegalArgumentException(
                    "policy.daily-cap.*: expected 0 or more, found "
                            + dailyCapPerChannel
                            + " / "
                            + dailyCapTotal);
        }
    }

    /** Returns {@code true} when outbound messages must wait at {@code now}. */
    public boolean isQuiet(Instant now) {
        if (quietFrom.equals(quietUntil)) {
            return false;
        }
        LocalTime local = now.atZone(zone).toLocalTime();
        if (quietFrom.isBefore(quietUntil)) {
            return !local.isBefore(quietFrom) && local.isBefore(quietUntil);
        }
        return !local.isBefore(quietFrom) || local.isBefore(quietUntil);
    }

    /** Returns the calendar day of {@code now} in the policy's zone, as an epoch day. */
    public long dayOf(Instant now) {
        return now.atZone(zone).toLocalDate().toEpochDay();
    }
}
