package io.nextlog.world;

import io.nextlog.schemas.event.CatalogItem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * The offers of the four channels as {@link CatalogItem}s: {@code t-universe} subscriptions ({@code
 * tu:}), {@code t-deal} deals ({@code td:}), {@code t-membership} partner offers ({@code tm:}) and
 * {@code mno} plan offers ({@code mno:}).
 *
 * <p>Most offers are valid from a month before the world starts and never expire. A spring sale
 * expires a third of the way into the world ({@link #SPRING_SALE}); a new campaign ({@link
 * #NEW_CAMPAIGN}) appears at the configured instant, headed by {@link #NEW_CAMPAIGN_HEADLINE}.
 * Journeys only buy or answer offers valid at the event's time. Immutable.
 */
public final class OfferCatalog {

    /** Campaign id of the offers that appear while the world runs. */
    public static final String NEW_CAMPAIGN = "summer-launch";

    /** Campaign id of the offers that expire while the world runs. */
    public static final String SPRING_SALE = "spring-sale";

    /** The new campaign's main offer; it becomes popular when a trend is configured. */
    public static final String NEW_CAMPAIGN_HEADLINE = "tu:anime-pass";

    private static final Duration STANDING_OFFERS_SINCE = Duration.ofDays(30);

    private final Map<String, CatalogItem> byId;
    private final Map<String, Category> categoryById;
    private final Map<Category, List<CatalogItem>> byCategory;

    private OfferCatalog(List<CatalogItem> items) {
        Map<String, CatalogItem> ids = new LinkedHashMap<>();
        Map<String, Category> categories = new LinkedHashMap<>();
        Map<Category, List<CatalogItem>> grouped = new EnumMap<>(Category.class);
        for (CatalogItem item : items) {
            Category category = Category.fromId(item.getCategory());
            ids.put(item.getItemId(), item);
            categories.put(item.getItemId(), category);
            grouped.computeIfAbsent(category, c -> new ArrayList<>()).add(item);
        }
        this.byId = Collections.unmodifiableMap(ids);
        this.categoryById = categories;
        this.byCategory = grouped;
    }

    /**
     * Builds the catalog.
     *
     * @param worldStart first instant of the world
     * @param worldSpan how long the world runs; the spring sale ends after a third of it
     * @param newCampaignAt when the new campaign's offers become valid
     */
    public static OfferCatalog create(
            Instant worldStart, Duration worldSpan, Instant newCampaignAt) {
        OfferTable table = new OfferTable(worldStart.minus(STANDING_OFFERS_SINCE));
        subscriptions(table);
        deals(table);
        partnerOffers(table);
        planOffers(table);
        table.campaign(
                SPRING_SALE,
                worldStart.minus(STANDING_OFFERS_SINCE),
                worldStart.plus(worldSpan.dividedBy(3)));
        table.add("td:spring-earbuds", "Spring sale earbuds", Category.SHOPPING, "t-deal", 39000);
        table.add(
                "tm:cherry-blossom-tour",
                "Cherry blossom day tour",
                Category.TRAVEL,
                "t-membership",
                25000);
        table.campaign(NEW_CAMPAIGN, newCampaignAt, null);
        table.add(
                NEW_CAMPAIGN_HEADLINE,
                "Anime streaming pass",
                Category.VIDEO_OTT,
                "t-universe",
                7900);
        table.add("td:summer-bingsu", "Summer bingsu 1+1", Category.COFFEE, "t-deal", 9900);
        table.add("mno:esim-watch-plan", "eSIM smartwatch plan", Category.HEALTH, "mno", 11000);
        return new OfferCatalog(table.items);
    }

    private static void subscriptions(OfferTable t) {
        String ch = "t-universe";
        t.add("tu:youtube-premium", "YouTube Premium", Category.VIDEO_OTT, ch, 10450);
        t.add("tu:wavve-pass", "wavve pass", Category.VIDEO_OTT, ch, 7900);
        t.add("tu:flo-unlimited", "FLO unlimited", Category.MUSIC, ch, 7590);
        t.add("tu:game-pass", "Game pass", Category.GAMING, ch, 9900);
        t.add("tu:coupang-wow", "Coupang WOW", Category.SHOPPING, ch, 7890);
        t.add("tu:baemin-club", "Baemin club", Category.FOOD_DELIVERY, ch, 3990);
        t.add("tu:starbucks-monthly", "Starbucks monthly", Category.COFFEE, ch, 9900);
        t.add("tu:kids-edu-pack", "Kids learning pack", Category.KIDS, ch, 12900);
        t.add("tu:news-digital", "Digital newspaper", Category.NEWS, ch, 4900);
        t.add("tu:sports-pass", "Sports live pass", Category.SPORTS, ch, 8900);
        t.add("tu:language-club", "Language club", Category.EDUCATION, ch, 14900);
        t.add("tu:health-coach", "Health coach", Category.HEALTH, ch, 6900);
        t.add("tu:webtoon-pass", "Webtoon pass", Category.ENTERTAINMENT, ch, 4900);
    }

    private static void deals(OfferTable t) {
        String ch = "t-deal";
        t.add("td:americano-2for1", "Americano 2 for 1", Category.COFFEE, ch, 4500);
        t.add("td:chicken-combo", "Fried chicken combo", Category.FOOD_DELIVERY, ch, 21000);
        t.add("td:pizza-half", "Pizza half price", Category.FOOD_DELIVERY, ch, 12900);
        t.add("td:earbuds-sale", "Wireless earbuds", Category.SHOPPING, ch, 59000);
        t.add("td:gaming-mouse", "Gaming mouse", Category.GAMING, ch, 29000);
        t.add("td:movie-popcorn", "Movie and popcorn", Category.MOVIES, ch, 15000);
        t.add("td:travel-luggage", "Carry-on luggage", Category.TRAVEL, ch, 89000);
        t.add("td:vitamin-pack", "Vitamin pack", Category.HEALTH, ch, 19000);
        t.add("td:kids-toy", "Building blocks set", Category.KIDS, ch, 25000);
        t.add("td:concert-ticket", "Concert ticket", Category.MUSIC, ch, 99000);
        t.add("td:baseball-jersey", "Baseball jersey", Category.SPORTS, ch, 69000);
        t.add("td:stock-course", "Investing course", Category.FINANCE, ch, 49000);
    }

    private static void partnerOffers(OfferTable t) {
        String ch = "t-membership";
        t.add("tm:cgv-ticket", "CGV ticket discount", Category.MOVIES, ch, 3000);
        t.add("tm:coffee-upsize", "Free coffee upsize", Category.COFFEE, ch, 0);
        t.add("tm:theme-park", "Theme park discount", Category.KIDS, ch, 20000);
        t.add("tm:pizza-20pct", "Pizza 20% off", Category.FOOD_DELIVERY, ch, 5000);
        t.add("tm:airport-lounge", "Airport lounge", Category.TRAVEL, ch, 0);
        t.add("tm:bookstore", "Bookstore points", Category.EDUCATION, ch, 2000);
        t.add("tm:gym-trial", "Gym trial week", Category.HEALTH, ch, 0);
        t.add("tm:convenience-store", "Convenience store 10%", Category.SHOPPING, ch, 1000);
        t.add("tm:stadium-seat", "Stadium seat upgrade", Category.SPORTS, ch, 5000);
        t.add("tm:pc-bang-hours", "PC bang free hours", Category.GAMING, ch, 3000);
        t.add("tm:musical-ticket", "Musical ticket discount", Category.ENTERTAINMENT, ch, 10000);
    }

    private static void planOffers(OfferTable t) {
        String ch = "mno";
        t.add("mno:5g-premium-plan", "5G premium plan", Category.DATA_PLAN, ch, 89000);
        t.add("mno:data-refill-10gb", "10 GB data refill", Category.DATA_PLAN, ch, 11000);
        t.add("mno:roaming-pass-7d", "7-day roaming pass", Category.TRAVEL, ch, 29000);
        t.add("mno:ott-bundle-plan", "OTT bundle plan", Category.VIDEO_OTT, ch, 79000);
        t.add("mno:gaming-low-latency", "Low-latency gaming add-on", Category.GAMING, ch, 5500);
        t.add("mno:music-data-free", "Music data-free add-on", Category.MUSIC, ch, 4400);
        t.add("mno:family-share-plan", "Family data share", Category.KIDS, ch, 15000);
        t.add("mno:senior-safe-plan", "Senior safety plan", Category.HEALTH, ch, 3300);
        t.add("mno:news-sms", "Morning news briefing", Category.NEWS, ch, 1100);
    }

    /** Every offer, in declaration order. */
    public List<CatalogItem> all() {
        return List.copyOf(byId.values());
    }

    /** The offer with this id, if there is one. */
    public Optional<CatalogItem> get(String itemId) {
        return Optional.ofNullable(byId.get(itemId));
    }

    /** The category of an offer, if {@code itemId} is one. */
    public Optional<Category> category(String itemId) {
        return Optional.ofNullable(categoryById.get(itemId));
    }

    /** The offers eligible for {@code channelId} and valid at {@code at}. */
    public List<CatalogItem> offers(String channelId, Instant at) {
        List<CatalogItem> offers = new ArrayList<>();
        for (CatalogItem item : byId.values()) {
            if (item.getChannels().contains(channelId) && isValid(item, at)) {
                offers.add(item);
            }
        }
        return offers;
    }

    /** The offers in {@code category} valid at {@code at}, of any channel. */
    public List<CatalogItem> offers(Category category, Instant at) {
        List<CatalogItem> offers = new ArrayList<>();
        for (CatalogItem item : byCategory.getOrDefault(category, List.of())) {
            if (isValid(item, at)) {
                offers.add(item);
            }
        }
        return offers;
    }

    /** Whether {@code item} may be offered at {@code at}: from validFrom, before validUntil. */
    public static boolean isValid(CatalogItem item, Instant at) {
        boolean started = !at.isBefore(item.getValidFrom());
        boolean expired = item.getValidUntil() != null && !at.isBefore(item.getValidUntil());
        return started && !expired;
    }

    /** Collects offers; offers added after {@link #campaign} belong to that campaign. */
    private static final class OfferTable {
        private final List<CatalogItem> items = new ArrayList<>();
        private Instant validFrom;
        @Nullable private Instant validUntil;
        @Nullable private String campaignId;

        OfferTable(Instant standingSince) {
            this.validFrom = standingSince;
        }

        void campaign(String id, Instant from, @Nullable Instant until) {
            this.campaignId = id;
            this.validFrom = from;
            this.validUntil = until;
        }

        void add(String id, String title, Category category, String channel, int priceKrw) {
            String partner = id.substring(id.indexOf(':') + 1).split("-")[0];
            items.add(
                    CatalogItem.newBuilder()
                            .setItemId(id)
                            .setTitle(title)
                            .setCategory(category.id())
                            .setChannels(List.of(channel))
                            .setValidFrom(validFrom)
                            .setValidUntil(validUntil)
                            .setCampaignId(campaignId)
                            .setAttributes(
                                    Map.of(
                                            "price_krw",
                                            Integer.toString(priceKrw),
                                            "partner",
                                            partner))
                            .build());
        }
    }
}
