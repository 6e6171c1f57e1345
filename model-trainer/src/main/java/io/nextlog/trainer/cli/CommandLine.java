package io.nextlog.trainer.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The flags of one subcommand: {@code --name value} pairs and bare {@code --switch}es, checked
 * against the flags the subcommand knows. A bad flag or value fails with a message that names the
 * flag, what was expected and what was found.
 */
final class CommandLine {

    private final String command;
    private final Map<String, String> values = new LinkedHashMap<>();

    private CommandLine(String command) {
        this.command = command;
    }

    /**
     * Parses flags.
     *
     * @param command the subcommand, for messages
     * @param args the flags after the subcommand
     * @param valued flags that take a value
     * @param switches flags without a value
     * @throws IllegalArgumentException on an unknown flag or a missing value
     */
    static CommandLine parse(
            String command, String[] args, Set<String> valued, Set<String> switches) {
        CommandLine line = new CommandLine(command);
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (switches.contains(flag)) {
                line.values.put(flag, "true");
            } else if (valued.contains(flag)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(
                            command + " " + flag + ": expected a value, found the end of the line");
                }
                line.values.put(flag, args[++i]);
            } else {
                throw new IllegalArgumentException(
                        command
                                + ": expected one of "
                                + new TreeSet<>(valued)
                                + " or "
                                + new TreeSet<>(switches)
                                + ", found '"
                                + flag
                                + "' (try --help)");
            }
        }
        return line;
    }

    boolean has(String flag) {
        return values.containsKey(flag);
    }

    String string(String flag, String fallback) {
        return values.getOrDefault(flag, fallback);
    }

    String required(String flag) {
        String value = values.get(flag);
        if (value == null) {
            throw new IllegalArgumentException(
                    command + " " + flag + ": expected a value, found none (try --help)");
        }
        return value;
    }

    int integer(String flag, int fallback) {
        String value = values.get(flag);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    command + " " + flag + ": expected an integer, found '" + value + "'");
        }
    }

    long longValue(String flag, long fallback) {
        String value = values.get(flag);
        try {
            return value == null ? fallback : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    command + " " + flag + ": expected an integer, found '" + value + "'");
        }
    }

    float decimal(String flag, float fallback) {
        String value = values.get(flag);
        try {
            return value == null ? fallback : Float.parseFloat(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    command + " " + flag + ": expected a number, found '" + value + "'");
        }
    }
}
