package io.nextlog.lag;

import io.nextlog.schemas.registry.SchemaRegistryClient;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.annotation.Nullable;

/**
 * {@code nextlog view}: the live view of a running platform in the terminal, refreshed every few
 * seconds (see {@link LiveView} for where each figure comes from).
 *
 * <pre>
 * nextlog view [--bootstrap-servers 127.0.0.1:9092]
 *              [--registry-url http://127.0.0.1:8081/apis/ccompat/v7]
 *              [--scorer-url http://127.0.0.1:8091] [--refresh-s 5] [--once]
 * </pre>
 *
 * <p>On a terminal each refresh clears the screen first; piped or redirected, the snapshots follow
 * one another with a blank line between. {@code --once} takes two readings {@code --refresh-s}
 * apart, so that the rates are known, prints the second and exits: 0 when it was read, 1 when the
 * cluster did not answer, 2 on bad flags. Without {@code --once}, a failed reading prints one line
 * and the view tries again at the next refresh.
 */
public final class LiveViewCommand {

    static final String USAGE =
            """
            usage: nextlog view [options]
              --bootstrap-servers H:P  Kafka to read (default 127.0.0.1:9092)
              --registry-url URL       Confluent-compatible registry API
                                       (default http://127.0.0.1:8081/apis/ccompat/v7)
              --scorer-url URL         scorer service to read swaps and refusals from,
                                       e.g. http://127.0.0.1:8091 (default: none)
              --refresh-s N            seconds between refreshes, and between the two
                                       readings of --once (default 5)
              --once                   print one snapshot and exit
              --help                   this text
            """;

    /** Clears the screen and moves the cursor home (ANSI), for terminals only. */
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    private LiveViewCommand() {}

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.print(USAGE);
            return;
        }
        SchemaRegistryClient registry = new SchemaRegistryClient(options.registryUrl);
        boolean read;
        try (LiveView view =
                new LiveView(
                        options.bootstrapServers, registry, options.scorerUrl, Clock.systemUTC())) {
            if (!options.once) {
                watch(view, options.refresh, System.console() != null, System.out);
                return;
            }
            read = once(view, options.refresh, System.out);
        }
        System.exit(read ? 0 : 1);
    }

    /** Prints the second of two readings {@code refresh} apart; false when a reading failed. */
    static boolean once(LiveView view, Duration refresh, PrintStream out)
            throws InterruptedException {
        try {
            view.read();
            Thread.sleep(refresh.toMillis());
            print(LiveViewText.render(view.read()), out);
            return true;
        } catch (RuntimeException e) {
            System.err.println("live view: reading failed: " + e.getMessage());
            return false;
        }
    }

    private static void watch(LiveView view, Duration refresh, boolean terminal, PrintStream out)
            throws InterruptedException {
        while (!Thread.currentThread().isInterrupted()) {
            List<String> lines;
            try {
                lines = LiveViewText.render(view.read());
            } catch (RuntimeException e) {
                // The broker restarting or a topic being created must not end the view.
                lines = List.of("live view: reading failed, trying again: " + e.getMessage());
            }
            if (terminal) {
                out.print(CLEAR_SCREEN);
            } else {
                out.println();
            }
            print(lines, out);
            Thread.sleep(refresh.toMillis());
        }
    }

    private static void print(List<String> lines, PrintStream out) {
        lines.forEach(out::println);
        out.flush();
    }

    /** Parsed flags. */
    static final class Options {
        String bootstrapServers = "127.0.0.1:9092";
        String registryUrl = "http://127.0.0.1:8081/apis/ccompat/v7";
        @Nullable URI scorerUrl;
        Duration refresh = Duration.ofSeconds(5);
        boolean once;
        boolean help;

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--help")) {
                    options.help = true;
                    continue;
                }
                if (flag.equals("--once")) {
                    options.once = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + ": expected a value, found none");
                }
                String value = args[++i];
                switch (flag) {
                    case "--bootstrap-servers" -> options.bootstrapServers = value;
                    case "--registry-url" -> options.registryUrl = value;
                    case "--scorer-url" -> options.scorerUrl = httpUrl(flag, value);
                    case "--refresh-s" ->
                            options.refresh = Duration.ofSeconds(positive(flag, value));
                    default ->
                            throw new IllegalArgumentException(
                                    "unknown flag: " + flag + " (see --help)");
                }
            }
            return options;
        }

        private static URI httpUrl(String flag, String value) {
            try {
                URI uri = URI.create(value);
                if ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) {
                    return uri;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            throw new IllegalArgumentException(
                    flag + ": expected an http:// or https:// URL, found " + value);
        }

        private static int positive(String flag, String value) {
            try {
                int parsed = Integer.parseInt(value);
                if (parsed > 0) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(
                    flag + ": expected a whole number above 0, found " + value);
        }
    }
}
