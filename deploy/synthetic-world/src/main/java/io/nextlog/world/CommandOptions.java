package io.nextlog.world;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * The flags of {@link WorldCommand}: each with its name, value, default and description, in one
 * table, so {@code --help} and validation cannot drift apart. A bad flag or value fails before any
 * work starts, naming the flag, what was expected and what was found.
 */
final class CommandOptions {

    /**
     * One flag.
     *
     * @param name the flag without dashes
     * @param value the value's placeholder, or null for a switch that takes none
     * @param defaultValue the default, or null when the flag has none
     * @param description what it does
     */
    record Option(
            String name,
            @Nullable String value,
            @Nullable String defaultValue,
            String description) {}

    static final List<Option> ALL =
            List.of(
                    new Option("help", null, null, "print this help and exit"),
                    new Option("seed", "N", "42", "seed of every random draw"),
                    new Option("customers", "N", "1000", "number of customers"),
                    new Option("events", "N", "100000", "behavior events over all journeys"),
                    new Option(
                            "days",
                            "N",
                            null,
                            "average span of a journey in days (default: ~12 events a day, at"
                                    + " least 7)"),
                    new Option(
                            "start",
                            "INSTANT",
                            null,
                            "first instant, a local midnight (default: 2024-06-03 Seoul in file"
                                    + " mode, today in Kafka mode)"),
                    new Option(
                            "out",
                            "FILE",
                            null,
                            "write a journey file (gzip when FILE ends in .gz)"),
                    new Option(
                            "planted-causes",
                            null,
                            null,
                            "plant tv:baseball-live -> td:chicken-combo and loc:airport ->"
                                    + " mno:roaming-pass-7d"),
                    new Option(
                            "shift-at-day",
                            "D",
                            null,
                            "shift a group's preferences at the start of day D"),
                    new Option(
                            "shift-after-s",
                            "N",
                            null,
                            "shift a group's preferences N seconds after the command starts (for"
                                    + " Kafka mode, whose events are timed now)"),
                    new Option("shift-fraction", "F", "0.3", "share of customers that shift"),
                    new Option("shift-towards", "CATEGORY", "video-ott", "category they turn to"),
                    new Option("shift-strength", "S", "0.6", "share of preference mass moved"),
                    new Option(
                            "shift-responses-only",
                            null,
                            null,
                            "the shifted group answers offers by its new taste but behaves as"
                                    + " before, so only feedback reveals the shift"),
                    new Option(
                            "campaign-at-day",
                            "D",
                            null,
                            "day the new campaign's offers appear (default: halfway)"),
                    new Option(
                            "trending-campaign",
                            null,
                            null,
                            "make the new campaign's headline offer "
                                    + OfferCatalog.NEW_CAMPAIGN_HEADLINE
                                    + " popular"),
                    new Option(
                            "bootstrap-servers",
                            "HOST:PORT",
                            null,
                            "Kafka mode: publish to this broker"),
                    new Option("registry-url", "URL", null, "Kafka mode: registry base URL"),
                    new Option("rate", "EVENTS_PER_S", "1000", "Kafka mode: target rate"),
                    new Option(
                            "duration-s", "S", "60", "Kafka mode: seconds to publish (and answer)"),
                    new Option(
                            "answer-grace-s",
                            "S",
                            "5",
                            "Kafka mode: seconds to keep answering after publishing"),
                    new Option(
                            "answer-interval-s",
                            "S",
                            "0",
                            "Kafka mode: least seconds between two answers to one customer on one"
                                    + " channel; 0 answers every recommendation"),
                    new Option(
                            "fatigue-window-s",
                            "S",
                            "86400",
                            "Kafka mode: how far back a customer's contacts count towards their"
                                    + " fatigue; shorter where a run compresses days"),
                    new Option(
                            "answer-from",
                            "earliest|latest",
                            "latest",
                            "Kafka mode: where a new consumer group starts reading"
                                    + " recommendations"),
                    new Option(
                            "create-topics",
                            "true|false",
                            "true",
                            "Kafka mode: create missing nextlog topics first"));

    private final Map<String, String> values;

    private CommandOptions(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses {@code --name value}, {@code --name=value} and bare switches.
     *
     * @throws IllegalArgumentException for an unknown flag or a missing value
     */
    static CommandOptions parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException(
                        "expected a flag starting with --, found '" + arg + "'");
            }
            String name = arg.substring(2);
            String inline = null;
            int equals = name.indexOf('=');
            if (equals >= 0) {
                inline = name.substring(equals + 1);
                name = name.substring(0, equals);
            }
            Option option = option(name);
            if (option.value() == null) {
                values.put(name, "true");
            } else if (inline != null) {
                values.put(name, inline);
            } else if (i + 1 < args.length) {
                values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException(
                        "--" + name + ": expected a value " + option.value() + ", found none");
            }
        }
        return new CommandOptions(values);
    }

    private static Option option(String name) {
        for (Option option : ALL) {
            if (option.name().equals(name)) {
                return option;
            }
        }
        throw new IllegalArgumentException("unknown flag --" + name + "; see --help");
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value given, else the default. */
    Optional<String> get(String name) {
        String value = values.get(name);
        return Optional.ofNullable(value != null ? value : option(name).defaultValue());
    }

    /** The value as a long; {@code min} is the smallest accepted. */
    long getLong(String name, long min) {
        String text = get(name).orElseThrow(() -> missing(name));
        try {
            long value = Long.parseLong(text.replace("_", ""));
            if (value < min) {
                throw new IllegalArgumentException(
                        "--" + name + ": expected at least " + min + ", found " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + name + ": expected an integer, found '" + text + "'");
        }
    }

    /** The value as a positive double. */
    double getPositiveDouble(String name) {
        String text = get(name).orElseThrow(() -> missing(name));
        try {
            double value = Double.parseDouble(text);
            if (!(value > 0)) {
                throw new IllegalArgumentException(
                        "--" + name + ": expected a positive number, found " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--" + name + ": expected a number, found '" + text + "'");
        }
    }

    /** The value as a boolean, spelled true or false. */
    boolean getBoolean(String name) {
        String text = get(name).orElse("false");
        if (!text.equals("true") && !text.equals("false")) {
            throw new IllegalArgumentException(
                    "--" + name + ": expected true or false, found '" + text + "'");
        }
        return Boolean.parseBoolean(text);
    }

    private static IllegalArgumentException missing(String name) {
        return new IllegalArgumentException("--" + name + ": expected a value, found none");
    }

    /** The help text: one line per flag with its value, default and description. */
    static String usage() {
        StringBuilder out = new StringBuilder();
        out.append("usage: WorldCommand [flags]\n");
        out.append("  Writes a journey file with --out, publishes to Kafka with");
        out.append(" --bootstrap-servers and --registry-url,\n");
        out.append("  or, with neither, only prints the distribution summary.\n\n");
        for (Option option : ALL) {
            String flag =
                    "--" + option.name() + (option.value() == null ? "" : " " + option.value());
            String defaults =
                    option.defaultValue() == null ? "" : " (default " + option.defaultValue() + ")";
            out.append(String.format("  %-32s %s%s%n", flag, option.description(), defaults));
        }
        return out.toString();
    }
}
