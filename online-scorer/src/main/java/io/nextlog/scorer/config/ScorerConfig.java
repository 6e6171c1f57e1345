package io.nextlog.scorer.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The scorer's configuration: every key of {@link ScorerOptions#ALL}, parsed and checked once.
 *
 * <p>A bad value or an unknown {@code scorer.*} key fails construction with a message naming the
 * key, what was expected and what was found, so a typo stops start-up instead of being ignored.
 * Keys outside {@code scorer.*} are ignored (they belong to other parts of a shared file).
 * Immutable and thread-safe.
 */
public final class ScorerConfig {

    private static final String PREFIX = "scorer.";

    private final Map<String, Object> values;

    private ScorerConfig(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** The defaults of every option. */
    public static ScorerConfig defaults() {
        return of(Map.of());
    }

    /**
     * Parses a configuration from text values.
     *
     * @throws IllegalArgumentException for an unknown {@code scorer.*} key or a bad value
     */
    public static ScorerConfig of(Map<String, String> text) {
        Set<String> known = new TreeSet<>();
        ScorerOptions.ALL.forEach(option -> known.add(option.key()));
        for (String key : text.keySet()) {
            if (key.startsWith(PREFIX) && !known.contains(key)) {
                throw new IllegalArgumentException(
                        "config: unknown key '" + key + "', expected one of " + known);
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigOption<?> option : ScorerOptions.ALL) {
            String given = text.get(option.key());
            values.put(option.key(), given == null ? option.defaultValue() : option.parse(given));
        }
        return new ScorerConfig(values);
    }

    /** Reads a {@code .properties} file and parses it as {@link #of(Map)} does. */
    public static ScorerConfig load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        Map<String, String> text = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(key -> text.put(key, properties.getProperty(key)));
        return of(text);
    }

    /** Returns a copy with some options set, parsed and checked like any other value. */
    public ScorerConfig with(Map<String, String> overrides) {
        Map<String, String> text = new LinkedHashMap<>();
        for (ConfigOption<?> option : ScorerOptions.ALL) {
            text.put(option.key(), format(values.get(option.key())));
        }
        text.putAll(overrides);
        return of(text);
    }

    /** Returns the value of an option. */
    public <T> T get(ConfigOption<T> option) {
        return option.type().cast(values.get(option.key()));
    }

    /** Returns every option's value as text, in declaration order, for the start-up log. */
    public Map<String, String> describe() {
        Map<String, String> text = new LinkedHashMap<>();
        values.forEach((key, value) -> text.put(key, format(value)));
        return text;
    }

    private static String format(Object value) {
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        if (value instanceof Duration duration) {
            return duration.toString();
        }
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return "ScorerConfig" + describe();
    }
}
