package io.nextlog.lag;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nextlog lag}: prints consumer-group lag per topic and partition, in records and in
 * seconds, and says when a group has fallen behind retention; with {@code --exporter-port} it
 * serves the same as Prometheus metrics ({@link LagMetrics}) instead.
 *
 * <pre>
 * nextlog lag [--bootstrap-servers 127.0.0.1:9092] [--group G]... [--watch-s N]
 *             [--exporter-port P] [--exporter-host 127.0.0.1]
 * </pre>
 *
 * Without {@code --group}, every consumer group of the cluster.
 */
public final class LagCommand {

    static final String USAGE =
            """
            usage: nextlog lag [options]
              --bootstrap-servers H:P  Kafka to read (default 127.0.0.1:9092)
              --group G                a consumer group; repeat for more (default: every group)
              --watch-s N              print again every N seconds until stopped
              --exporter-port P        serve Prometheus metrics on /metrics at port P instead
              --exporter-host H        address the exporter binds (default 127.0.0.1)
              --help                   this text
            """;

    private LagCommand() {}

    public static void main(String[] args) throws Exception {
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
        try (LagReader reader = new LagReader(options.bootstrapServers, Clock.systemUTC())) {
            if (options.exporterPort >= 0) {
                serve(reader, options);
                return;
            }
            do {
                print(read(reader, options.groups), System.out);
                if (options.watch != null) {
                    Thread.sleep(options.watch.toMillis());
                }
            } while (options.watch != null);
        }
    }

    static List<PartitionLag> read(LagReader reader, List<String> groups) {
        List<String> chosen = groups.isEmpty() ? reader.consumerGroups() : groups;
        List<PartitionLag> lags = new ArrayList<>();
        for (String group : chosen) {
            lags.addAll(reader.read(group));
        }
        return lags;
    }

    /** Prints one table row per group and partition, and a line per group behind retention. */
    static void print(List<PartitionLag> lags, PrintStream out) {
        out.printf(
                "%-36s %-28s %4s %12s %12s %10s %10s%n",
                "GROUP", "TOPIC", "PART", "COMMITTED", "END", "LAG", "LAG-S");
        for (PartitionLag lag : lags) {
            out.printf(
                    "%-36s %-28s %4d %12d %12d %10d %10s%s%n",
                    lag.group(),
                    lag.partition().topic(),
                    lag.partition().partition(),
                    lag.committedOffset(),
                    lag.logEndOffset(),
                    lag.lagRecords(),
                    lag.lagTime() == null
                            ? "?"
                            : String.format("%.1f", lag.lagTime().toMillis() / 1000.0),
                    lag.behindRetention()
                            ? "  LOST " + lag.lostRecords() + " records to retention"
                            : "");
        }
        lags.stream()
                .filter(PartitionLag::behindRetention)
                .map(PartitionLag::group)
                .distinct()
                .forEach(
                        group ->
                                out.println(
                                        "group "
                                                + group
                                                + " has fallen behind retention: records were"
                                                + " deleted before it read them"));
        out.flush();
    }

    private static void serve(LagReader reader, Options options) throws IOException {
        HttpServer http =
                HttpServer.create(
                        new InetSocketAddress(options.exporterHost, options.exporterPort), 16);
        // One reader, one thread: scrapes are read one at a time, each a fresh reading.
        http.createContext(
                "/metrics",
                exchange -> {
                    byte[] body;
                    int status = 200;
                    try {
                        body =
                                LagMetrics.format(read(reader, options.groups))
                                        .getBytes(StandardCharsets.UTF_8);
                    } catch (RuntimeException e) {
                        status = 503;
                        body =
                                ("lag reading failed: " + e.getMessage())
                                        .getBytes(StandardCharsets.UTF_8);
                    }
                    exchange.getResponseHeaders()
                            .add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                    exchange.sendResponseHeaders(status, body.length);
                    try (OutputStream os = exchange.getResponseBody()) {
                        os.write(body);
                    }
                });
        http.start();
        System.out.println(
                "lag exporter at http://"
                        + options.exporterHost
                        + ":"
                        + http.getAddress().getPort()
                        + "/metrics");
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            http.stop(0);
        }
    }

    /** Parsed flags. */
    static final class Options {
        String bootstrapServers = "127.0.0.1:9092";
        final List<String> groups = new ArrayList<>();
        Duration watch;
        int exporterPort = -1;
        String exporterHost = "127.0.0.1";
        boolean help;

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--help")) {
                    options.help = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + ": expected a value, found none");
                }
                String value = args[++i];
                switch (flag) {
                    case "--bootstrap-servers" -> options.bootstrapServers = value;
                    case "--group" -> options.groups.add(value);
                    case "--watch-s" -> options.watch = Duration.ofSeconds(positive(flag, value));
                    case "--exporter-port" -> options.exporterPort = positive(flag, value);
                    case "--exporter-host" -> options.exporterHost = value;
                    default ->
                            throw new IllegalArgumentException(
                                    "unknown flag: " + flag + " (see --help)");
                }
            }
            return options;
        }

        private static int positive(String flag, String value) {
            try {
                int parsed = Integer.parseInt(value);
                if (parsed >= 0) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(
                    flag + ": expected a whole number of 0 or more, found " + value);
        }
    }
}
