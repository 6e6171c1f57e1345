package io.nextlog.ingest;

import io.nextlog.schemas.event.CatalogItem;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the job's integration tests and benches publish: catalog items, registry producers. */
final class IngestFixtures {

    /** The items of the format-1 fixture bundle's vocabulary. */
    static final List<String> FIXTURE_ITEMS = List.of("i0", "i1", "i2", "i3", "i4", "i5");

    private IngestFixtures() {}

    /** An item valid since yesterday on the given channels. */
    static CatalogItem catalogItem(String item, List<String> channels) {
        return CatalogItem.newBuilder()
                .setItemId(item)
                .setTitle("Offer " + item)
                .setCategory("test")
                .setChannels(channels)
                .setValidFrom(Instant.now().minus(Duration.ofDays(1)))
                .setValidUntil(null)
                .setCampaignId(null)
                .setAttributes(Map.of())
                .build();
    }

    /** A producer with the registry serde, registering schemas as it goes. */
    static KafkaProducer<String, SpecificRecord> producer(
            String bootstrapServers, SchemaRegistryClient registry) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return new KafkaProducer<>(
                props, new StringSerializer(), new RegistryAvroSerializer<>(registry, true));
    }
}
