package io.nextlog.world;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.schemas.event.BehaviorEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Evidence that journeys have learnable sequence structure: a first-order Markov (bigram) predictor
 * trained on some customers predicts the next item of other customers far better than always
 * predicting the most popular item.
 */
class NextEventLearnabilityTest {

    @Test
    void shouldLetABigramModelBeatMostPopularClearly() {
        WorldConfig config =
                WorldConfig.builder().seed(11).customers(1_000).events(100_000).build();
        SyntheticWorld world = SyntheticWorld.create(config);
        int customers = world.population().size();
        int trainCustomers = customers * 4 / 5;

        Map<String, Map<String, Integer>> transitions = new HashMap<>();
        Map<String, Integer> popularity = new HashMap<>();
        for (int position = 0; position < trainCustomers; position++) {
            List<BehaviorEvent> journey = world.journey(position);
            for (int i = 0; i < journey.size(); i++) {
                String item = journey.get(i).getItem();
                popularity.merge(item, 1, Integer::sum);
                if (i > 0) {
                    transitions
                            .computeIfAbsent(journey.get(i - 1).getItem(), k -> new HashMap<>())
                            .merge(item, 1, Integer::sum);
                }
            }
        }
        List<String> popular = top(popularity, 5);
        Map<String, List<String>> bigram = new HashMap<>();
        transitions.forEach((previous, next) -> bigram.put(previous, top(next, 5)));

        int predictions = 0;
        int[] bigramHits = new int[2];
        int[] popularHits = new int[2];
        for (int position = trainCustomers; position < customers; position++) {
            List<BehaviorEvent> journey = world.journey(position);
            for (int i = 1; i < journey.size(); i++) {
                String actual = journey.get(i).getItem();
                List<String> guess = bigram.getOrDefault(journey.get(i - 1).getItem(), popular);
                predictions++;
                count(bigramHits, guess, actual);
                count(popularHits, popular, actual);
            }
        }
        System.out.printf(
                "next item on %d held-out steps: bigram acc@1 %.3f hit@5 %.3f; most-popular acc@1"
                        + " %.3f hit@5 %.3f%n",
                predictions,
                (double) bigramHits[0] / predictions,
                (double) bigramHits[1] / predictions,
                (double) popularHits[0] / predictions,
                (double) popularHits[1] / predictions);
        assertTrue(bigramHits[0] > 3 * popularHits[0], "acc@1");
        assertTrue(bigramHits[1] > 1.5 * popularHits[1], "hit@5");
    }

    /** Adds to {@code hits[0]} when the first guess is right, to {@code hits[1]} when any is. */
    private static void count(int[] hits, List<String> guesses, String actual) {
        hits[0] += guesses.get(0).equals(actual) ? 1 : 0;
        hits[1] += guesses.contains(actual) ? 1 : 0;
    }

    /** The {@code k} most counted keys, ties broken by key, most counted first. */
    private static List<String> top(Map<String, Integer> counts, int k) {
        return counts.entrySet().stream()
                .sorted(
                        Map.Entry.<String, Integer>comparingByValue()
                                .reversed()
                                .thenComparing(Map.Entry.comparingByKey()))
                .limit(k)
                .map(Map.Entry::getKey)
                .toList();
    }
}
