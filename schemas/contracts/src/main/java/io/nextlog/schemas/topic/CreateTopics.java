package io.nextlog.schemas.topic;

import io.nextlog.schemas.channel.Channels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Command that creates every declared topic that is missing.
 *
 * <pre>
 * CreateTopics --bootstrap-servers HOST:PORT [--user-partitions 6] [--replication-factor 1]
 *              [--retention-days 7] [--channels channels.json]
 * </pre>
 *
 * <p>Exits 0 when all topics exist as declared, 1 when an existing topic differs, 2 on bad
 * arguments.
 */
public final class CreateTopics {

    private CreateTopics() {}

    public static void main(String[] args) {
        String bootstrap = null;
        int partitions = TopicSettings.local().userPartitions();
        short replication = 1;
        int retentionDays = 7;
        Channels channels = Channels.defaults();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--bootstrap-servers" -> bootstrap = value;
                case "--user-partitions" -> partitions = Integer.parseInt(value);
                case "--replication-factor" -> replication = Short.parseShort(value);
                case "--retention-days" -> retentionDays = Integer.parseInt(value);
                case "--channels" -> channels = Channels.load(Path.of(value));
                default -> usage("unknown argument '" + args[i] + "'");
            }
            i++;
        }
        if (bootstrap == null) {
            usage("--bootstrap-servers is required");
        }
        TopicSettings settings =
                new TopicSettings(partitions, replication, Duration.ofDays(retentionDays));
        TopicCatalog catalog = TopicCatalog.of(channels, settings);
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            TopicCreator.Report report = new TopicCreator(admin).ensure(catalog.all(), replication);
            report.created().forEach(t -> System.out.println("created  " + t));
            report.existing().forEach(t -> System.out.println("existing " + t));
            report.mismatches().forEach(m -> System.out.println("MISMATCH " + m));
            System.exit(report.isConsistent() ? 0 : 1);
        }
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println(
                "usage: CreateTopics --bootstrap-servers HOST:PORT [--user-partitions N]"
                        + " [--replication-factor N] [--retention-days N] [--channels FILE]");
        System.exit(2);
    }
}
