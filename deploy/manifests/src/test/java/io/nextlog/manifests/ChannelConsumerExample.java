package io.nextlog.manifests;

import io.nextlog.schemas.event.RankedItem;
import io.nextlog.schemas.event.Recommendation;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroDeserializer;
import io.nextlog.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a channel app runs to read its recommendations, the example of docs/channel-apps.md:
 *
 * <pre>
 * ChannelConsumerExample BOOTSTRAP REGISTRY_URL CHANNEL GROUP
 * ChannelConsumerExample kafka:9092 http://registry:8080/apis/ccompat/v7 t-deal t-deal-app
 * </pre>
 *
 * <p>Prints one line per recommendation until stopped. Needs only nextlog-contracts (Avro and
 * kafka-clients) on the classpath. Exits 2 on bad arguments.
 */
public final class ChannelConsumerExample {

    private ChannelConsumerExample() {}

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println(
                    "usage: ChannelConsumerExample BOOTSTRAP REGISTRY_URL CHANNEL GROUP");
            System.exit(2);
        }
        try (KafkaConsumer<String, Recommendation> consumer = open(args[0], args[1], args[3])) {
            consumer.subscribe(List.of(TopicCatalog.recommendationsTopic(args[2])));
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, Recommendation> record :
                        consumer.poll(Duration.ofSeconds(1))) {
                    System.out.println(describe(record.key(), record.value()));
                }
            }
        }
    }

    /** A consumer of one channel's recommendations: user id keys, registry-framed Avro values. */
    static KafkaConsumer<String, Recommendation> open(
            String bootstrapServers, String registryUrl, String groupId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // The ingest job writes in Kafka transactions: read only what it committed.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // The topic is compacted: from the beginning, a new app gets every user's latest.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        SchemaRegistryClient registry = new SchemaRegistryClient(registryUrl);
        return new KafkaConsumer<>(
                props,
                new StringDeserializer(),
                new RegistryAvroDeserializer<>(registry, Recommendation.class));
    }

    /** One line per recommendation; a null value is a tombstone (the user's entry removed). */
    static String describe(String userId, Recommendation recommendation) {
        if (recommendation == null) {
            return userId + " removed";
        }
        StringBuilder line =
                new StringBuilder(userId)
                        .append(' ')
                        .append(recommendation.getRecommendationId())
                        .append(" model ")
                        .append(recommendation.getModelVersion())
                        .append(" arm ")
                        .append(recommendation.getExperimentArm());
        for (RankedItem item : recommendation.getItems()) {
            line.append(" | ").append(item.getItemId()).append(": ").append(item.getReasonText());
        }
        return line.toString();
    }
}
