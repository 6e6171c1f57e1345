package io.nextlog.tokenize;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The item vocabulary of one model: a fixed number of ids, some assigned to items and the rest free
 * for items first seen after training.
 *
 * <p>Id {@value #PADDING_ID} is padding and id {@value #OOV_ID} stands for every item without an id
 * of its own. Items get ids from {@value #FIRST_ITEM_ID} on, in the order of {@link #items()}. The
 * ids above the last item are free slots: {@link #withAssigned} gives them to new items (a new
 * campaign, say) so fine-tuning can learn them while the graph keeps its shape, since the graph
 * only knows {@link #size()}.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class Vocabulary {

    /** Id of a padded position. */
    public static final int PADDING_ID = 0;

    /** Id of an item the vocabulary does not know. */
    public static final int OOV_ID = 1;

    /** Id of the first item. */
    public static final int FIRST_ITEM_ID = 2;

    private final int size;
    private final List<String> items;
    private final Map<String, Integer> idByItem;

    private Vocabulary(int size, List<String> items) {
        this.size = size;
        this.items = List.copyOf(items);
        this.idByItem = indexOf(this.items);
    }

    /**
     * Restores a vocabulary from its stored form.
     *
     * @param size the number of ids, including padding, OOV and free slots
     * @param items the assigned items, in id order starting at {@value #FIRST_ITEM_ID}
     * @throws IllegalArgumentException if the items do not fit or repeat
     */
    public static Vocabulary of(int size, List<String> items) {
        int needed = FIRST_ITEM_ID + items.size();
        if (size < needed) {
            throw new IllegalArgumentException(
                    "vocabulary size: expected at least "
                            + needed
                            + " for "
                            + items.size()
                            + " items, found "
                            + size);
        }
        return new Vocabulary(size, items);
    }

    /**
     * Builds a vocabulary from item counts: items seen at least {@code minCount} times, the most
     * frequent first (ties by item), plus {@code reservedSlots} free ids.
     *
     * @param itemCounts occurrences per raw item id
     * @param minCount the fewest occurrences that earn an item its own id; at least 1
     * @param reservedSlots free ids kept for items first seen later; at least 0
     */
    public static Vocabulary fromCounts(
            Map<String, Long> itemCounts, int minCount, int reservedSlots) {
        if (minCount < 1 || reservedSlots < 0) {
            throw new IllegalArgumentException(
                    "expected minCount >= 1 and reservedSlots >= 0, found minCount "
                            + minCount
                            + " and reservedSlots "
                            + reservedSlots);
        }
        List<String> kept = new ArrayList<>();
        itemCounts.entrySet().stream()
                .filter(entry -> entry.getValue() >= minCount)
                .sorted(byCountThenItem())
                .forEach(entry -> kept.add(entry.getKey()));
        return new Vocabulary(FIRST_ITEM_ID + kept.size() + reservedSlots, kept);
    }

    /**
     * Returns a vocabulary in which the given new items hold the lowest free ids; items that
     * already have an id keep it.
     *
     * @throws IllegalStateException if there are fewer free slots than new items
     */
    public Vocabulary withAssigned(Collection<String> newItems) {
        List<String> grown = new ArrayList<>(items);
        newItems.stream()
                .distinct()
                .filter(item -> !idByItem.containsKey(item))
                .forEach(grown::add);
        int added = grown.size() - items.size();
        if (added > freeSlots()) {
            throw new IllegalStateException(
                    "free vocabulary slots: expected at least "
                            + added
                            + " for the new items, found "
                            + freeSlots());
        }
        return new Vocabulary(size, grown);
    }

    /** Returns the id of an item, or {@value #OOV_ID} if it has none. */
    public int idOf(String item) {
        return idByItem.getOrDefault(item, OOV_ID);
    }

    /** Returns the item holding an id, or empty for padding, OOV, free and out-of-range ids. */
    public Optional<String> itemOf(int id) {
        int index = id - FIRST_ITEM_ID;
        if (index < 0 || index >= items.size()) {
            return Optional.empty();
        }
        return Optional.of(items.get(index));
    }

    /** Returns the number of ids (V), the size of the model's item embedding and output. */
    public int size() {
        return size;
    }

    /** Returns the assigned items in id order, starting at id {@value #FIRST_ITEM_ID}. */
    public List<String> items() {
        return items;
    }

    /** Returns the number of ids still free for new items. */
    public int freeSlots() {
        return size - FIRST_ITEM_ID - items.size();
    }

    private static Map<String, Integer> indexOf(List<String> items) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Integer previous = index.put(items.get(i), FIRST_ITEM_ID + i);
            if (previous != null) {
                throw new IllegalArgumentException(
                        "vocabulary item '"
                                + items.get(i)
                                + "': expected once, found at ids "
                                + previous
                                + " and "
                                + (FIRST_ITEM_ID + i));
            }
        }
        return Map.copyOf(index);
    }

    private static Comparator<Map.Entry<String, Long>> byCountThenItem() {
        Comparator<Map.Entry<String, Long>> byCount = Map.Entry.comparingByValue();
        return byCount.reversed().thenComparing(Map.Entry.comparingByKey());
    }

    @Override
    public String toString() {
        return "Vocabulary[size=" + size + ", items=" + items.size() + "]";
    }
}
