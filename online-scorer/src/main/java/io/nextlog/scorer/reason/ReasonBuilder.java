package io.nextlog.scorer.reason;

import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.schemas.event.ReasonEvent;
import io.nextlog.scorer.model.ForwardOutput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns the graph's {@code attribution} output into reasons.
 *
 * <p>Sensitive domains may drive a score, but nothing of them leaves this class: their events are
 * dropped before ranking, and the shares are renormalised over the remaining events, so neither the
 * reason events, the domain shares nor the text reveal how much a sensitive event weighed.
 * Immutable and thread-safe.
 */
public final class ReasonBuilder {

    private final Set<Domain> sensitive;
    private final int maxEvents;
    private final ReasonTemplates templates;

    /**
     * @param sensitive domains never shown
     * @param maxEvents most reason events per journey; 0 for none
     * @param templates the reason sentences
     */
    public ReasonBuilder(Set<Domain> sensitive, int maxEvents, ReasonTemplates templates) {
        this.sensitive =
                sensitive.isEmpty() ? EnumSet.noneOf(Domain.class) : EnumSet.copyOf(sensitive);
        this.maxEvents = maxEvents;
        this.templates = templates;
    }

    /** Returns the domains never shown. */
    public Set<Domain> sensitive() {
        return sensitive;
    }

    /**
     * Explains one row of a forward pass.
     *
     * @param journey the journey of the row, oldest first
     * @param output the forward pass
     * @param row the row of the journey in the batch
     * @param keptEvents how many of the newest events the row holds (the tokenizer's length)
     * @param titleOf the display title of an item
     */
    public Explanation explain(
            List<JourneyStep> journey,
            ForwardOutput output,
            int row,
            int keptEvents,
            Function<String, String> titleOf) {
        int timeSteps = output.timeSteps();
        int firstColumn = timeSteps - keptEvents;
        int firstStep = journey.size() - keptEvents;

        List<Weighted> shown = new ArrayList<>(keptEvents);
        double shownMass = 0;
        for (int column = firstColumn; column < timeSteps; column++) {
            JourneyStep step = journey.get(firstStep + column - firstColumn);
            float weight = output.attribution(row, column);
            if (!sensitive.contains(step.getDomain()) && weight > 0 && Float.isFinite(weight)) {
                shown.add(new Weighted(step, weight));
                shownMass += weight;
            }
        }
        if (shownMass <= 0) {
            return new Explanation(List.of(), Map.of(), ReasonTemplates.GENERIC);
        }
        // Shares sum in journey order; events and text then come from one sort, strongest first.
        Map<String, Float> shares = shares(shown, shownMass);
        shown.sort(STRONGEST_FIRST);
        return new Explanation(topEvents(shown, shownMass), shares, text(shown.get(0), titleOf));
    }

    /** The first {@code maxEvents} of {@code strongestFirst}, weights as shares of the mass. */
    private List<ReasonEvent> topEvents(List<Weighted> strongestFirst, double mass) {
        int count = Math.min(maxEvents, strongestFirst.size());
        List<ReasonEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Weighted w = strongestFirst.get(i);
            JourneyStep step = w.step();
            events.add(
                    new ReasonEvent(
                            step.getDomain(),
                            step.getItem(),
                            step.getEventTime(),
                            (float) (w.weight() / mass)));
        }
        return events;
    }

    private static Map<String, Float> shares(List<Weighted> shown, double mass) {
        Map<Domain, Double> byDomain = new EnumMap<>(Domain.class);
        for (Weighted w : shown) {
            byDomain.merge(w.step().getDomain(), (double) w.weight(), Double::sum);
        }
        Map<String, Float> shares = new LinkedHashMap<>();
        byDomain.forEach((domain, weight) -> shares.put(domain.name(), (float) (weight / mass)));
        return shares;
    }

    private String text(Weighted strongest, Function<String, String> titleOf) {
        JourneyStep step = strongest.step();
        return templates.render(step.getDomain(), titleOf.apply(step.getItem()));
    }

    /** Strongest first; on equal weight the newer event first. */
    private static final Comparator<Weighted> STRONGEST_FIRST =
            Comparator.comparingDouble(Weighted::weight)
                    .reversed()
                    .thenComparing(w -> w.step().getEventTime(), Comparator.reverseOrder());

    private record Weighted(JourneyStep step, float weight) {}
}
