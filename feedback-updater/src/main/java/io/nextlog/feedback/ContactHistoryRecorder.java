package io.nextlog.feedback;

import io.nextlog.feedback.store.ContactHistoryEntry;
import io.nextlog.schemas.event.Contact;
import io.nextlog.schemas.event.FeedbackAction;
import io.nextlog.schemas.event.FeedbackEvent;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The operator's contact history: every decided contact, keyed so one prefix scan returns a user's
 * contacts in time order, and the strongest response each got.
 */
final class ContactHistoryRecorder {

    /** Ranks responses; a weaker one never overwrites a stronger one. */
    private static final Map<FeedbackAction, Integer> STRENGTH =
            Map.of(
                    FeedbackAction.IMPRESSION, 1,
                    FeedbackAction.DISMISS, 2,
                    FeedbackAction.UNSUBSCRIBE, 3,
                    FeedbackAction.CLICK, 4,
                    FeedbackAction.CONVERT, 5);

    private ContactHistoryRecorder() {}

    static String historyKey(String userId, long contactedAtMs, String contactId) {
        return userId + "|" + String.format("%013d", contactedAtMs) + "|" + contactId;
    }

    /** Records contacts from the {@code contacts} topic. */
    static final class Contacts implements Processor<String, Contact, Void, Void> {
        private KeyValueStore<String, ContactHistoryEntry> history;
        private KeyValueStore<String, String> index;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            history = context.getStateStore(StoreNames.CONTACT_HISTORY);
            index = context.getStateStore(StoreNames.CONTACT_INDEX);
        }

        @Override
        public void process(Record<String, Contact> record) {
            Contact contact = record.value();
            if (contact == null) {
                return;
            }
            long at = contact.getContactedAt().toEpochMilli();
            String key = historyKey(contact.getUserId(), at, contact.getContactId());
            history.put(
                    key,
                    ContactHistoryEntry.newBuilder()
                            .setContactId(contact.getContactId())
                            .setUserId(contact.getUserId())
                            .setChannel(contact.getChannel())
                            .setKind(contact.getKind().name())
                            .setItem(contact.getItem())
                            .setRecommendationId(contact.getRecommendationId())
                            .setModelVersion(contact.getModelVersion())
                            .setExperimentArm(contact.getExperimentArm())
                            .setContactedAtMs(at)
                            .build());
            index.put(
                    FeedbackAttributor.responseKey(
                            contact.getRecommendationId(), contact.getItem()),
                    key);
        }
    }

    /** Records responses from {@code feedback-events} on the contact they answer. */
    static final class Responses implements Processor<String, FeedbackEvent, Void, Void> {
        private KeyValueStore<String, ContactHistoryEntry> history;
        private KeyValueStore<String, String> index;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            history = context.getStateStore(StoreNames.CONTACT_HISTORY);
            index = context.getStateStore(StoreNames.CONTACT_INDEX);
        }

        @Override
        public void process(Record<String, FeedbackEvent> record) {
            FeedbackEvent feedback = record.value();
            if (feedback == null
                    || feedback.getRecommendationId() == null
                    || !STRENGTH.containsKey(feedback.getAction())) {
                return;
            }
            String key =
                    index.get(
                            FeedbackAttributor.responseKey(
                                    feedback.getRecommendationId(), feedback.getItem()));
            ContactHistoryEntry entry = key == null ? null : history.get(key);
            if (entry == null) {
                return;
            }
            int current =
                    entry.getResponse() == null
                            ? 0
                            : STRENGTH.get(FeedbackAction.valueOf(entry.getResponse()));
            if (STRENGTH.get(feedback.getAction()) > current) {
                entry.setResponse(feedback.getAction().name());
                entry.setRespondedAtMs(feedback.getEventTime().toEpochMilli());
                history.put(key, entry);
            }
        }
    }
}
