package io.nextlog.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    @Test
    void shouldOrderByCountThenItemAndKeepFreeSlots() {
        Vocabulary vocabulary =
                Vocabulary.fromCounts(Map.of("x", 3L, "b", 7L, "a", 3L, "rare", 1L), 2, 4);

        assertEquals(List.of("b", "a", "x"), vocabulary.items());
        assertEquals(2, vocabulary.idOf("b"));
        assertEquals(Vocabulary.OOV_ID, vocabulary.idOf("rare"));
        assertEquals(2 + 3 + 4, vocabulary.size());
        assertEquals(4, vocabulary.freeSlots());
        assertEquals(Optional.of("x"), vocabulary.itemOf(4));
        assertEquals(Optional.empty(), vocabulary.itemOf(5));
    }

    @Test
    void shouldKeepIdsOfKnownItemsWhenAssigning() {
        Vocabulary vocabulary = Vocabulary.fromCounts(Map.of("a", 2L), 1, 2);

        Vocabulary grown = vocabulary.withAssigned(List.of("a", "new", "new"));

        assertEquals(2, grown.idOf("a"));
        assertEquals(3, grown.idOf("new"));
        assertEquals(1, grown.freeSlots());
    }

    @Test
    void shouldRefuseMoreNewItemsThanFreeSlots() {
        Vocabulary vocabulary = Vocabulary.fromCounts(Map.of("a", 2L), 1, 1);

        IllegalStateException error =
                assertThrows(
                        IllegalStateException.class,
                        () -> vocabulary.withAssigned(List.of("n1", "n2")));

        assertEquals(
                "free vocabulary slots: expected at least 2 for the new items, found 1",
                error.getMessage());
    }

    @Test
    void shouldRejectRepeatedItems() {
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(10, List.of("a", "a")));
    }
}
