package io.nextlog.world;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Interest categories of the synthetic world. Customers hold hidden preferences over them; apps,
 * programmes, places and offers each belong to one. The {@link #id()} is what {@code
 * CatalogItem.category} carries.
 */
public enum Category {
    VIDEO_OTT("video-ott"),
    MUSIC("music"),
    GAMING("gaming"),
    COFFEE("coffee"),
    FOOD_DELIVERY("food-delivery"),
    SHOPPING("shopping"),
    TRAVEL("travel"),
    FINANCE("finance"),
    KIDS("kids"),
    NEWS("news"),
    SPORTS("sports"),
    HEALTH("health"),
    MOVIES("movies"),
    ENTERTAINMENT("entertainment"),
    EDUCATION("education"),
    SOCIAL("social"),
    DATA_PLAN("data-plan");

    private static final Map<String, Category> BY_ID =
            Arrays.stream(values()).collect(Collectors.toMap(Category::id, Function.identity()));

    private final String id;

    Category(String id) {
        this.id = id;
    }

    /** The lower-case id used in catalog items, e.g. {@code video-ott}. */
    public String id() {
        return id;
    }

    /**
     * The category with this id.
     *
     * @throws IllegalArgumentException naming the known ids when there is none
     */
    public static Category fromId(String id) {
        Category category = BY_ID.get(id);
        if (category == null) {
            throw new IllegalArgumentException(
                    "category: expected one of " + BY_ID.keySet() + ", found '" + id + "'");
        }
        return category;
    }
}
