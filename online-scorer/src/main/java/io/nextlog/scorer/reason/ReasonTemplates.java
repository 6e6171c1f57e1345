package io.nextlog.scorer.reason;

import io.nextlog.schemas.event.Domain;
import java.util.EnumMap;
import java.util.Map;

/**
 * Reason sentences per domain of the strongest reason event; {@code {item}} is replaced by the
 * item's catalog title, or its id. Immutable.
 */
public final class ReasonTemplates {

    /** The sentence when no non-sensitive event drove the score. */
    public static final String GENERIC = "Picked for you";

    private final Map<Domain, String> byDomain;

    /** Creates templates; domains without one get {@link #GENERIC}. */
    public ReasonTemplates(Map<Domain, String> byDomain) {
        this.byDomain = new EnumMap<>(Domain.class);
        this.byDomain.putAll(byDomain);
    }

    /** The built-in English sentences. */
    public static ReasonTemplates defaults() {
        Map<Domain, String> templates = new EnumMap<>(Domain.class);
        templates.put(Domain.APP_USE, "Because you use {item}");
        templates.put(Domain.CALL, "Based on your recent calls");
        templates.put(Domain.TV_VIEWING, "Because you watched {item}");
        templates.put(Domain.DATA_USAGE, "Based on how you use data");
        templates.put(Domain.LOCATION_VISIT, "Because you visited {item}");
        templates.put(Domain.PURCHASE, "Because you bought {item}");
        templates.put(Domain.CAMPAIGN_RESPONSE, "Because you liked {item}");
        return new ReasonTemplates(templates);
    }

    /** Returns the sentence for an event of {@code domain} on an item shown as {@code title}. */
    public String render(Domain domain, String title) {
        return byDomain.getOrDefault(domain, GENERIC).replace("{item}", title);
    }
}
