package io.nextlog.world;

import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.event.Domain;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import javax.annotation.Nullable;

/**
 * Writes one journey file, checking the order the format promises: users in ascending id order,
 * each user's events contiguous and oldest first. Not thread-safe.
 */
public final class JourneyWriter implements Closeable {

    private final Path file;
    private final BufferedWriter out;
    @Nullable private String lastUser;
    private long lastEpochMilli;
    private long eventsWritten;

    JourneyWriter(Path file, BufferedWriter out) throws IOException {
        this.file = file;
        this.out = out;
        out.write(JourneyFiles.FORMAT_LINE);
        out.newLine();
        out.write(JourneyFiles.HEADER);
        out.newLine();
    }

    /** Writes one behavior event; attributes and event id are not part of the format. */
    public void write(BehaviorEvent event) throws IOException {
        write(event.getUserId(), event.getEventTime(), event.getDomain(), event.getItem());
    }

    /**
     * Writes one event.
     *
     * @throws JourneyFormatException when the event is out of order, its domain is UNKNOWN, or an
     *     id holds a tab or line break
     */
    public void write(String userId, Instant eventTime, Domain domain, String item)
            throws IOException {
        long line = eventsWritten + 3;
        checkField(userId, "user_id", line);
        checkField(item, "item", line);
        if (domain == Domain.UNKNOWN) {
            throw new JourneyFormatException(file, line, "expected a known domain, found UNKNOWN");
        }
        long epochMilli = eventTime.toEpochMilli();
        checkOrder(userId, epochMilli, line);

        out.write(userId);
        out.write('\t');
        out.write(Long.toString(epochMilli));
        out.write('\t');
        out.write(domain.name());
        out.write('\t');
        out.write(item);
        out.newLine();
        lastUser = userId;
        lastEpochMilli = epochMilli;
        eventsWritten++;
    }

    private void checkField(String value, String column, long line) {
        if (value.isEmpty()
                || value.indexOf('\t') >= 0
                || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0) {
            throw new JourneyFormatException(
                    file,
                    line,
                    column
                            + ": expected a non-empty value without tabs or line breaks, found '"
                            + value.replace("\t", "\\t").replace("\n", "\\n")
                            + "'");
        }
    }

    private void checkOrder(String userId, long epochMilli, long line) {
        if (lastUser == null) {
            return;
        }
        int order = userId.compareTo(lastUser);
        if (order < 0) {
            throw new JourneyFormatException(
                    file,
                    line,
                    "expected user ids in ascending order, found " + userId + " after " + lastUser);
        }
        if (order == 0 && epochMilli < lastEpochMilli) {
            throw new JourneyFormatException(
                    file,
                    line,
                    "user "
                            + userId
                            + ": expected event_time_ms at or after "
                            + lastEpochMilli
                            + ", found "
                            + epochMilli);
        }
    }

    /** Number of events written so far. */
    public long eventsWritten() {
        return eventsWritten;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
