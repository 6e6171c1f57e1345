package io.nextlog.schemas.channel;

import io.nextlog.schemas.event.ContactKind;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A place where offers reach customers.
 *
 * @param id ASCII id used in topic names and events, e.g. {@code t-deal}
 * @param displayName name people read, any script
 * @param kind in-app slot or outbound message; decides which contact rules apply (quiet hours apply
 *     to outbound messages only)
 */
public record Channel(String id, String displayName, ContactKind kind) {

    /** Channel ids: lower-case ASCII letters, digits and dashes, starting with a letter. */
    public static final Pattern ID_PATTERN = Pattern.compile("[a-z][a-z0-9-]{0,47}");

    public Channel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(kind, "kind");
        if (!ID_PATTERN.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "channel id: expected " + ID_PATTERN.pattern() + ", found '" + id + "'");
        }
        if (kind == ContactKind.UNKNOWN) {
            throw new IllegalArgumentException(
                    "channel '" + id + "': expected kind IN_APP_SLOT or OUTBOUND_MESSAGE");
        }
    }

    /** Whether messages on this channel go out to the customer (SMS, push) unasked. */
    public boolean isOutbound() {
        return kind == ContactKind.OUTBOUND_MESSAGE;
    }
}
