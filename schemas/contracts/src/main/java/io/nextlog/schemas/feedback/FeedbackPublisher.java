package io.nextlog.schemas.feedback;

import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.identity.PseudonymousIds;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import io.nextlog.schemas.serde.RegistryAvroSerializer;
import io.nextlog.schemas.topic.TopicCatalog;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a channel app uses to report customers' responses: validates each {@link FeedbackEvent},
 * then publishes it to {@code feedback-events}, keyed by user, through an idempotent producer
 * ({@code acks=all}, {@code enable.idempotence=true}) with the registry serde.
 *
 * <pre>{@code
 * try (FeedbackPublisher feedback =
 *         FeedbackPublisher.create("broker:9092", "http://registry:8081/apis/ccompat/v7")) {
 *     feedback.publish(event).join();
 * }
 * }</pre>
 *
 * <p>Depends on kafka-clients and Avro only. Thread-safe, like the producer it wraps.
 */
public final class FeedbackPublisher implements AutoCloseable {

    private final Producer<String, FeedbackEvent> producer;
    private final FeedbackValidator validator;
    private final String topic;

    FeedbackPublisher(Producer<String, FeedbackEvent> producer, FeedbackValidator validator) {
        this.producer = producer;
        this.validator = validator;
        this.topic = TopicCatalog.FEEDBACK_EVENTS;
    }

    /**
     * A publisher for the default channels and id pattern; the {@code FeedbackEvent} schema must
     * already be registered (auto-registration is off, as in production).
     */
    public static FeedbackPublisher create(String bootstrapServers, String registryUrl) {
        return create(bootstrapServers, registryUrl, new Properties(), false);
    }

    /**
     * @param overrides extra producer settings (security, client id); idempotence stays on
     * @param autoRegister whether to register the schema if the registry lacks it
     */
    public static FeedbackPublisher create(
            String bootstrapServers,
            String registryUrl,
            Properties overrides,
            boolean autoRegister) {
        Properties props = new Properties();
        props.putAll(overrides);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        KafkaProducer<String, FeedbackEvent> producer =
                new KafkaProducer<>(
                        props,
                        new StringSerializer(),
                        new RegistryAvroSerializer<>(
                                new SchemaRegistryClient(registryUrl), autoRegister));
        return new FeedbackPublisher(
                producer, new FeedbackValidator(Channels.defaults(), PseudonymousIds.defaults()));
    }

    /**
     * Validates and sends one event.
     *
     * @return completes when the broker has the event
     * @throws InvalidFeedbackException at once, without sending, when the event is invalid
     */
    public CompletableFuture<RecordMetadata> publish(FeedbackEvent event) {
        validator.validate(event);
        CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
        producer.send(
                new ProducerRecord<>(topic, event.getUserId(), event),
                (metadata, error) -> {
                    if (error != null) {
                        sent.completeExceptionally(error);
                    } else {
                        sent.complete(metadata);
                    }
                });
        return sent;
    }

    /** Sends what is buffered and waits for it. */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
