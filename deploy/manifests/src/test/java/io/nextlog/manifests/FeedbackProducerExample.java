package io.nextlog.manifests;

import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import io.nextlog.schemas.feedback.FeedbackPublisher;
import io.nextlog.schemas.feedback.InvalidFeedbackException;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * What a channel app runs to report a customer's response, the example of
 * docs/feedback-producers.md:
 *
 * <pre>
 * FeedbackProducerExample BOOTSTRAP REGISTRY_URL USER CHANNEL ITEM ACTION [RECOMMENDATION_ID]
 * </pre>
 *
 * <p>Exits 0 once the broker has the event, 2 on bad arguments or an invalid event.
 */
public final class FeedbackProducerExample {

    private FeedbackProducerExample() {}

    public static void main(String[] args) {
        if (args.length < 6 || args.length > 7) {
            System.err.println(
                    "usage: FeedbackProducerExample BOOTSTRAP REGISTRY_URL USER CHANNEL ITEM"
                            + " ACTION [RECOMMENDATION_ID]");
            System.exit(2);
        }
        FeedbackAction action = FeedbackAction.valueOf(args[5].toUpperCase(Locale.ROOT));
        try (FeedbackPublisher publisher = FeedbackPublisher.create(args[0], args[1])) {
            RecordMetadata sent =
                    publish(
                            publisher,
                            args[2],
                            args[3],
                            args[4],
                            action,
                            args.length == 7 ? args[6] : null);
            System.out.println("feedback-events " + sent.partition() + "@" + sent.offset());
        } catch (InvalidFeedbackException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    /**
     * Publishes one response and waits until the broker has it.
     *
     * @param recommendationId the recommendation answered, or null for an organic action
     * @throws InvalidFeedbackException at once, without sending, naming the field that is wrong
     */
    static RecordMetadata publish(
            FeedbackPublisher publisher,
            String userId,
            String channel,
            String item,
            FeedbackAction action,
            String recommendationId) {
        FeedbackEvent event =
                FeedbackEvent.newBuilder()
                        .setEventId(UUID.randomUUID().toString())
                        .setUserId(userId)
                        .setChannel(channel)
                        .setItem(item)
                        .setAction(action)
                        .setEventTime(Instant.now())
                        .setRecommendationId(recommendationId)
                        .build();
        return publisher.publish(event).join();
    }
}
