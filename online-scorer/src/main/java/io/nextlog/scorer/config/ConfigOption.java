package io.nextlog.scorer.config;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One typed configuration option: key, type, default, validation and description.
 *
 * @param key the property key, such as {@code scorer.batch.max-size}
 * @param type the Java type of the value
 * @param defaultValue the value when the key is absent; never null (empty text for "none")
 * @param description what the option does, for people
 * @param parser turns the text form into a value; throws {@link IllegalArgumentException} on bad
 *     text
 * @param check whether a parsed value is allowed
 * @param expected what {@link #check} allows, in words, for error messages
 * @param <T> the value type
 */
public record ConfigOption<T>(
        String key,
        Class<T> type,
        T defaultValue,
        String description,
        Function<String, T> parser,
        Predicate<T> check,
        String expected) {

    /** Checks that every part is present. */
    public ConfigOption {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue of " + key);
        Objects.requireNonNull(description, "description of " + key);
        Objects.requireNonNull(parser, "parser of " + key);
        Objects.requireNonNull(check, "check of " + key);
        Objects.requireNonNull(expected, "expected of " + key);
    }

    /**
     * Parses and checks a text value.
     *
     * @throws IllegalArgumentException naming the key, what was expected and what was found
     */
    public T parse(String text) {
        T value;
        boolean allowed;
        try {
            value = parser.apply(text.trim());
            allowed = check.test(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "config "
                            + key
                            + ": expected "
                            + expected
                            + ", found '"
                            + text
                            + "' ("
                            + e.getMessage()
                            + ")",
                    e);
        }
        if (!allowed) {
            throw new IllegalArgumentException(
                    "config " + key + ": expected " + expected + ", found '" + text + "'");
        }
        return value;
    }
}
