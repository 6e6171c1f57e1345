package io.nextlog.schemas.feedback;

import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.identity.PseudonymousIds;
import io.nextlog.schemas.identity.RawIdentifierException;
import java.time.Duration;
import java.time.Instant;

/**
 * Checks a {@link FeedbackEvent} before it is published: an event id, a pseudonymous user id, a
 * configured channel, an item, a known action and a time not in the future beyond a clock skew.
 * Thread-safe.
 */
public final class FeedbackValidator {

    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final Channels channels;
    private final PseudonymousIds ids;

    public FeedbackValidator(Channels channels, PseudonymousIds ids) {
        this.channels = channels;
        this.ids = ids;
    }

    /**
     * Returns the event when it is valid.
     *
     * @throws InvalidFeedbackException naming the first field that is wrong
     */
    public FeedbackEvent validate(FeedbackEvent event) {
        require(!isBlank(event.getEventId()), "eventId: expected a non-empty id, found none");
        try {
            ids.require(event.getUserId(), "userId");
        } catch (RawIdentifierException e) {
            throw new InvalidFeedbackException(e.getMessage());
        }
        require(
                event.getChannel() != null && channels.find(event.getChannel()).isPresent(),
                "channel: expected one of "
                        + channels.all().stream().map(c -> c.id()).toList()
                        + ", found '"
                        + event.getChannel()
                        + "'");
        require(!isBlank(event.getItem()), "item: expected an item id, found none");
        require(
                event.getAction() != null && event.getAction() != FeedbackAction.UNKNOWN,
                "action: expected impression, click, convert, dismiss or unsubscribe, found "
                        + event.getAction());
        Instant latest = Instant.now().plus(CLOCK_SKEW);
        require(
                event.getEventTime() != null && !event.getEventTime().isAfter(latest),
                "eventTime: expected a time no later than now + "
                        + CLOCK_SKEW
                        + ", found "
                        + event.getEventTime());
        return event;
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new InvalidFeedbackException(problem);
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
