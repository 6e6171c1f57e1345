package io.nextlog.schemas.identity;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Checks that a user id is pseudonymous, i.e. matches the configured pattern of derived ids, before
 * a record enters nextlog. Every ingest edge uses it; a record that fails is dead-lettered with its
 * payload redacted.
 *
 * <p>Error messages never repeat the refused value: it may be a phone number or customer number.
 * Thread-safe.
 */
public final class PseudonymousIds {

    /** Pattern of ids made by {@link Pseudonymizer}: {@code u_} and 32 lower-case hex digits. */
    public static final String DEFAULT_PATTERN = "u_[0-9a-f]{32}";

    private static final PseudonymousIds DEFAULT = new PseudonymousIds(DEFAULT_PATTERN);

    private final Pattern pattern;

    /**
     * @param regex the whole-id pattern pseudonymous ids match, e.g. {@value #DEFAULT_PATTERN}
     */
    public PseudonymousIds(String regex) {
        this.pattern = Pattern.compile(Objects.requireNonNull(regex, "regex"));
    }

    /** The check for ids made by {@link Pseudonymizer}. */
    public static PseudonymousIds defaults() {
        return DEFAULT;
    }

    /** Whether {@code id} is non-null and matches the pattern. */
    public boolean isPseudonymous(String id) {
        return id != null && pattern.matcher(id).matches();
    }

    /**
     * Returns {@code id} when it is pseudonymous.
     *
     * @param what the field checked, for the message (e.g. {@code BehaviorEvent.userId})
     * @throws RawIdentifierException otherwise; the message gives the length, never the value
     */
    public String require(String id, String what) {
        if (!isPseudonymous(id)) {
            String found = id == null ? "null" : "a value of length " + id.length();
            throw new RawIdentifierException(
                    what
                            + ": expected a pseudonymous id matching "
                            + pattern.pattern()
                            + ", found "
                            + found
                            + " (value withheld)");
        }
        return id;
    }

    /** The pattern in force. */
    public String pattern() {
        return pattern.pattern();
    }
}
