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
        return new Explanation(
                topEvents(shown, shownMass), shares(shown, shownMass), text(shown, titleOf));
    }

    private List<ReasonEvent> topEvents(List<Weighted> shown, double mass) {
        return shown.stream()
                .sorted(STRONGEST_FIRST)
                .limit(maxEvents)
                .map(
                        w ->
                                new ReasonEvent(
                                        w.step().getDomain(),
                                        w.step().getItem(),
                                        w.step().getEventTime(),
                                        (float) (w.weight() / mass)))
                .toList();
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

    private String text(List<Weighted> shown, Function<String, String> titleOf) {
        Weighted strongest = shown.stream().sorted(STRONGEST_FIRST).findFirst().orElseThrow();
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
