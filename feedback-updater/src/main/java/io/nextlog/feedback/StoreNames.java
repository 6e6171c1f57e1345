package io.nextlog.feedback;

/** Names of the state stores, which also name their changelog topics; never rename one. */
final class StoreNames {

    /** recommendation id → the context it was scored with; window store by generated-at. */
    static final String CONTEXTS = "recommendation-contexts";

    /** user → latest recommendation context, for organic feedback's journey. */
    static final String LATEST_CONTEXT = "latest-context-by-user";

    /** feedback event id → event time; window store, for dropping duplicates once. */
    static final String SEEN_FEEDBACK = "seen-feedback";

    /** recommendation id|item → attributed impression; window store by impression time. */
    static final String IMPRESSIONS = "pending-impressions";

    /** recommendation id|item → click or convert; window store by response time. */
    static final String RESPONSES = "positive-responses";

    /** "closed-up-to" → stream time up to which impression windows are closed. */
    static final String PROGRESS = "attribution-progress";

    /** user|channel → latest recommendation on that channel. */
    static final String LATEST_RECOMMENDATIONS = "latest-recommendations";

    /** user|contactedAtMs(13 digits)|contactId → contact with its response. */
    static final String CONTACT_HISTORY = "contact-history";

    /** recommendation id|item → key in {@link #CONTACT_HISTORY}. */
    static final String CONTACT_INDEX = "contact-index";

    private StoreNames() {}
}
