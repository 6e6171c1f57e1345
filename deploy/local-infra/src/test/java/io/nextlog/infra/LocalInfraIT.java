package io.nextlog.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalInfraExtension.class)
class LocalInfraIT {

    @Test
    void brokerAcceptsTransactionsOnOneNode(LocalInfra infra) throws Exception {
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "local-infra-it");
        try (KafkaProducer<String, String> out =
                new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
            out.initTransactions();
            out.beginTransaction();
            out.send(new ProducerRecord<>("infra-it", "k", "v")).get();
            out.commitTransaction();
        }

        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "infra-it");
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> in =
                new KafkaConsumer<>(consumer, new StringDeserializer(), new StringDeserializer())) {
            in.subscribe(List.of("infra-it"));
            int seen = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen == 0 && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = in.poll(Duration.ofMillis(500));
                seen += records.count();
            }
            assertEquals(1, seen);
        }
    }

    @Test
    void registryStartsWithBackwardCompatibility(LocalInfra infra) throws Exception {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(infra.registryUrl() + "/config"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(response.body().contains("BACKWARD"), response.body());
    }

    @Test
    void brokerRestartsOnItsOwnFolderAndDeletesTemporaryOnes() throws Exception {
        Path dir = Files.createTempDirectory("nextlog-kafka-restart-");
        try {
            try (LocalKafka first = LocalKafka.start(dir, 0, Map.of())) {
                assertTrue(Files.exists(first.dataDir().resolve("log/meta.properties")));
            }
            try (LocalKafka second = LocalKafka.start(dir, 0, Map.of())) {
                assertTrue(second.bootstrapServers().startsWith("127.0.0.1:"));
            }
        } finally {
            Directories.deleteRecursively(dir);
        }
        LocalKafka temporary = LocalKafka.start();
        Path tempDir = temporary.dataDir();
        temporary.close();
        assertFalse(Files.exists(tempDir));
    }
}
