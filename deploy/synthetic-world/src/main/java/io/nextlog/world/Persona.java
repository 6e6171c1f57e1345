package io.nextlog.world;

import static io.nextlog.world.Category.COFFEE;
import static io.nextlog.world.Category.EDUCATION;
import static io.nextlog.world.Category.ENTERTAINMENT;
import static io.nextlog.world.Category.FINANCE;
import static io.nextlog.world.Category.FOOD_DELIVERY;
import static io.nextlog.world.Category.GAMING;
import static io.nextlog.world.Category.HEALTH;
import static io.nextlog.world.Category.KIDS;
import static io.nextlog.world.Category.MOVIES;
import static io.nextlog.world.Category.MUSIC;
import static io.nextlog.world.Category.NEWS;
import static io.nextlog.world.Category.SHOPPING;
import static io.nextlog.world.Category.SOCIAL;
import static io.nextlog.world.Category.SPORTS;
import static io.nextlog.world.Category.TRAVEL;
import static io.nextlog.world.Category.VIDEO_OTT;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The kinds of customer the world is made of. A persona fixes the daily rhythm (which hours a
 * customer is active), whether they commute on weekdays, how likely the weekend TV habit is, which
 * devices and plans they hold, and the prior of their hidden preferences; each customer then draws
 * their own preferences around that prior.
 */
public enum Persona {
    COMMUTER(
            0.24,
            true,
            0.55,
            hours(0, 0, 0, 0, 0, 1, 3, 8, 9, 4, 2, 2, 5, 2, 2, 2, 2, 3, 8, 7, 6, 6, 4, 1),
            likes(NEWS, 3, MUSIC, 3, COFFEE, 3, VIDEO_OTT, 2, FOOD_DELIVERY, 2, SPORTS, 2),
            List.of("galaxy-s24", "iphone-15", "galaxy-a35"),
            List.of("5g-standard", "5g-premium")),
    BUSINESS(
            0.12,
            true,
            0.35,
            hours(0, 0, 0, 0, 0, 2, 5, 8, 8, 6, 6, 5, 6, 5, 5, 5, 5, 4, 6, 5, 5, 4, 2, 1),
            likes(FINANCE, 4, NEWS, 4, TRAVEL, 3, COFFEE, 3, SPORTS, 1),
            List.of("galaxy-s24-ultra", "iphone-15-pro"),
            List.of("5g-premium")),
    GAMER(
            0.12,
            false,
            0.30,
            hours(5, 4, 3, 1, 0, 0, 0, 0, 0, 1, 2, 3, 4, 4, 4, 4, 5, 6, 7, 8, 9, 9, 9, 7),
            likes(GAMING, 6, VIDEO_OTT, 3, FOOD_DELIVERY, 3, MUSIC, 2, SOCIAL, 2),
            List.of("galaxy-s24", "rog-phone", "iphone-15-pro"),
            List.of("5g-premium", "youth-5g")),
    FAMILY(
            0.20,
            false,
            0.80,
            hours(0, 0, 0, 0, 0, 0, 2, 6, 5, 4, 4, 4, 5, 3, 3, 4, 5, 6, 7, 7, 7, 5, 2, 0),
            likes(KIDS, 5, SHOPPING, 4, FOOD_DELIVERY, 3, ENTERTAINMENT, 3, MOVIES, 2),
            List.of("galaxy-a35", "galaxy-s24", "iphone-15"),
            List.of("family-share", "5g-standard")),
    STUDENT(
            0.16,
            true,
            0.40,
            hours(3, 1, 0, 0, 0, 0, 0, 2, 6, 3, 3, 3, 5, 5, 5, 5, 6, 6, 6, 7, 8, 8, 7, 5),
            likes(MUSIC, 4, SOCIAL, 4, EDUCATION, 3, GAMING, 3, COFFEE, 2, MOVIES, 2),
            List.of("iphone-se", "galaxy-a35", "iphone-15"),
            List.of("youth-5g", "lte-basic")),
    SENIOR(
            0.16,
            false,
            0.90,
            hours(0, 0, 0, 0, 1, 4, 7, 8, 8, 7, 6, 5, 5, 4, 4, 4, 4, 5, 6, 7, 6, 3, 1, 0),
            likes(HEALTH, 5, NEWS, 4, ENTERTAINMENT, 4, FINANCE, 2, TRAVEL, 1),
            List.of("galaxy-a15", "galaxy-folder"),
            List.of("senior-lte", "lte-basic"));

    private static final double UNLISTED_CATEGORY_PRIOR = 0.4;

    private final double populationShare;
    private final boolean commutes;
    private final double weekendTvHabit;
    private final int[] hourWeights;
    private final Map<Category, Double> categoryPrior;
    private final List<String> devices;
    private final List<String> plans;

    Persona(
            double populationShare,
            boolean commutes,
            double weekendTvHabit,
            int[] hourWeights,
            Map<Category, Double> categoryPrior,
            List<String> devices,
            List<String> plans) {
        this.populationShare = populationShare;
        this.commutes = commutes;
        this.weekendTvHabit = weekendTvHabit;
        this.hourWeights = hourWeights;
        this.categoryPrior = categoryPrior;
        this.devices = devices;
        this.plans = plans;
    }

    /** Share of the population with this persona; the shares of all personas add up to 1. */
    public double populationShare() {
        return populationShare;
    }

    /** Whether customers of this persona commute between home and work on weekdays. */
    public boolean commutes() {
        return commutes;
    }

    /** Probability that a customer keeps a weekend evening TV habit. */
    public double weekendTvHabit() {
        return weekendTvHabit;
    }

    /** Relative activity in local hour {@code hour} (0..23), at most 9. */
    public int hourWeight(int hour) {
        return hourWeights[hour];
    }

    /** Sum of the hourly weights, for sampling an hour. */
    int totalHourWeight() {
        int total = 0;
        for (int weight : hourWeights) {
            total += weight;
        }
        return total;
    }

    /** Prior weight of {@code category} before a customer's own draw; unlisted ones get 0.4. */
    public double prior(Category category) {
        return categoryPrior.getOrDefault(category, UNLISTED_CATEGORY_PRIOR);
    }

    /** Devices customers of this persona hold. */
    public List<String> devices() {
        return devices;
    }

    /** Plans customers of this persona subscribe to. */
    public List<String> plans() {
        return plans;
    }

    private static int[] hours(int... weightPerHour) {
        if (weightPerHour.length != 24) {
            throw new IllegalArgumentException(
                    "hour profile: expected 24 weights, found " + weightPerHour.length);
        }
        return weightPerHour;
    }

    private static Map<Category, Double> likes(Object... categoryWeightPairs) {
        Map<Category, Double> prior = new EnumMap<>(Category.class);
        for (int i = 0; i < categoryWeightPairs.length; i += 2) {
            prior.put(
                    (Category) categoryWeightPairs[i],
                    ((Integer) categoryWeightPairs[i + 1]).doubleValue());
        }
        return prior;
    }
}
