package io.nextlog.world;

import io.nextlog.schemas.event.Domain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * The apps, TV programmes, places, calls and data-usage kinds journeys are made of (offers come
 * from {@link OfferCatalog}). Item ids carry their domain as a prefix ({@code app:}, {@code tv:},
 * {@code loc:}, {@code call:}, {@code data:}), so one id names one thing across all domains.
 *
 * <p>Most items belong to a {@link Category}, which is how hidden preferences reach behavior.
 * Routine items (calls, home and work cells, stations, light browsing) have none. Some items have a
 * typical follow-up (a game, then the voice chat of the game), one of the regularities a next-event
 * model can learn. Immutable.
 */
public final class BehaviorItems {

    /** Number of home/work cells, {@code loc:cell-000} to {@code loc:cell-199}. */
    public static final int CELLS = 200;

    /** Number of metro stations, {@code loc:station-00} to {@code loc:station-19}. */
    public static final int STATIONS = 20;

    /** The transit app opened at the start of every commute. */
    public static final String TRANSIT_APP = "app:transit";

    /** A follow-up: after the trigger item, {@code item} comes next with {@code probability}. */
    record FollowUp(Domain domain, String item, double probability, Duration typicalDelay) {}

    private static final List<BehaviorItem> ITEMS = declare();
    private static final Map<String, FollowUp> FOLLOW_UPS = declareFollowUps();
    private static final BehaviorItems INSTANCE = new BehaviorItems();

    private final Map<Domain, Map<Category, List<String>>> byDomainAndCategory;
    private final Map<String, Category> categoryByItem;

    /** One item of a behavior domain; {@code category} is null for routine items. */
    public record BehaviorItem(Domain domain, String id, @Nullable Category category) {}

    private BehaviorItems() {
        Map<Domain, Map<Category, List<String>>> index = new EnumMap<>(Domain.class);
        Map<String, Category> categories = new HashMap<>();
        for (BehaviorItem item : ITEMS) {
            if (item.category() == null) {
                continue;
            }
            index.computeIfAbsent(item.domain(), d -> new EnumMap<>(Category.class))
                    .computeIfAbsent(item.category(), c -> new ArrayList<>())
                    .add(item.id());
            categories.put(item.id(), item.category());
        }
        this.byDomainAndCategory = index;
        this.categoryByItem = categories;
    }

    /** The one universe of behavior items. */
    public static BehaviorItems standard() {
        return INSTANCE;
    }

    /** Every declared item, routine ones included (cells and stations are not listed). */
    public List<BehaviorItem> all() {
        return ITEMS;
    }

    /** The items of {@code domain} in {@code category}; empty when there are none. */
    public List<String> items(Domain domain, Category category) {
        return byDomainAndCategory.getOrDefault(domain, Map.of()).getOrDefault(category, List.of());
    }

    /** The category of a behavior item, if it has one. */
    public Optional<Category> category(String itemId) {
        return Optional.ofNullable(categoryByItem.get(itemId));
    }

    /** The typical follow-up of {@code itemId}, if it has one. */
    Optional<FollowUp> followUp(String itemId) {
        return Optional.ofNullable(FOLLOW_UPS.get(itemId));
    }

    /** The id of home/work cell {@code index} (0..{@value #CELLS}-1). */
    public static String cell(int index) {
        return String.format("loc:cell-%03d", index);
    }

    /** The id of the metro station serving {@code cellIndex}. */
    public static String stationNear(int cellIndex) {
        return String.format("loc:station-%02d", cellIndex % STATIONS);
    }

    private static List<BehaviorItem> declare() {
        List<BehaviorItem> items = new ArrayList<>();
        apps(items);
        programmes(items);
        places(items);
        routine(items);
        return Collections.unmodifiableList(items);
    }

    private static void apps(List<BehaviorItem> items) {
        Domain app = Domain.APP_USE;
        add(items, app, Category.VIDEO_OTT, "app:youtube", "app:wavve", "app:netflix");
        add(items, app, Category.MUSIC, "app:melon", "app:flo");
        add(items, app, Category.GAMING, "app:lol", "app:maplestory", "app:discord");
        add(items, app, Category.COFFEE, "app:starbucks", "app:mega-coffee");
        add(items, app, Category.FOOD_DELIVERY, "app:baemin", "app:yogiyo");
        add(items, app, Category.SHOPPING, "app:coupang", "app:11st");
        add(items, app, Category.TRAVEL, "app:skyscanner", "app:tmap");
        add(items, app, Category.FINANCE, "app:toss", "app:stocks");
        add(items, app, Category.KIDS, "app:pororo", "app:kids-note");
        add(items, app, Category.NEWS, "app:news");
        add(items, app, Category.SPORTS, "app:sports-live");
        add(items, app, Category.HEALTH, "app:health", "app:step-counter");
        add(items, app, Category.MOVIES, "app:cgv");
        add(items, app, Category.ENTERTAINMENT, "app:webtoon");
        add(items, app, Category.EDUCATION, "app:duolingo", "app:class101");
        add(items, app, Category.SOCIAL, "app:kakaotalk", "app:instagram");
        add(items, app, Category.DATA_PLAN, "app:t-world");
    }

    private static void programmes(List<BehaviorItem> items) {
        Domain tv = Domain.TV_VIEWING;
        add(items, tv, Category.NEWS, "tv:evening-news");
        add(items, tv, Category.ENTERTAINMENT, "tv:weekend-drama", "tv:variety-show");
        add(items, tv, Category.SPORTS, "tv:baseball-live", "tv:football-live");
        add(items, tv, Category.KIDS, "tv:kids-cartoon");
        add(items, tv, Category.MOVIES, "tv:movie-channel");
        add(items, tv, Category.GAMING, "tv:esports-league");
        add(items, tv, Category.EDUCATION, "tv:documentary");
        add(items, tv, Category.FOOD_DELIVERY, "tv:cooking-show");
        add(items, tv, Category.TRAVEL, "tv:travel-show");
        add(items, tv, Category.MUSIC, "tv:music-show");
        add(items, tv, Category.SHOPPING, "tv:home-shopping");
        add(items, tv, Category.HEALTH, "tv:health-talk");
        add(items, tv, Category.FINANCE, "tv:market-report");
        add(items, tv, Category.VIDEO_OTT, "tv:vod-premiere");
    }

    private static void places(List<BehaviorItem> items) {
        Domain place = Domain.LOCATION_VISIT;
        add(items, place, Category.COFFEE, "loc:cafe");
        add(items, place, Category.HEALTH, "loc:gym", "loc:hospital");
        add(items, place, Category.SHOPPING, "loc:mall");
        add(items, place, Category.TRAVEL, "loc:airport");
        add(items, place, Category.SPORTS, "loc:stadium");
        add(items, place, Category.MOVIES, "loc:cinema");
        add(items, place, Category.GAMING, "loc:pc-bang");
        add(items, place, Category.KIDS, "loc:kids-cafe");
        add(items, place, Category.FINANCE, "loc:bank");
        add(items, place, Category.EDUCATION, "loc:library");
        Domain data = Domain.DATA_USAGE;
        add(items, data, Category.VIDEO_OTT, "data:video-streaming");
        add(items, data, Category.MUSIC, "data:music-streaming");
        add(items, data, Category.GAMING, "data:cloud-gaming");
        add(items, data, Category.TRAVEL, "data:roaming");
    }

    private static void routine(List<BehaviorItem> items) {
        add(items, Domain.CALL, null, "call:family", "call:friend", "call:work", "call:support");
        add(items, Domain.DATA_USAGE, null, "data:light-browsing", "data:tethering");
        add(items, Domain.APP_USE, null, TRANSIT_APP);
    }

    private static void add(
            List<BehaviorItem> items, Domain domain, @Nullable Category category, String... ids) {
        for (String id : ids) {
            items.add(new BehaviorItem(domain, id, category));
        }
    }

    private static Map<String, FollowUp> declareFollowUps() {
        Map<String, FollowUp> map = new HashMap<>();
        map.put("app:lol", follow(Domain.APP_USE, "app:discord", 0.7, 2));
        map.put("app:maplestory", follow(Domain.DATA_USAGE, "data:cloud-gaming", 0.5, 30));
        map.put("app:baemin", follow(Domain.APP_USE, "app:toss", 0.6, 3));
        map.put("app:coupang", follow(Domain.APP_USE, "app:toss", 0.5, 4));
        map.put("app:youtube", follow(Domain.DATA_USAGE, "data:video-streaming", 0.5, 20));
        map.put("app:netflix", follow(Domain.DATA_USAGE, "data:video-streaming", 0.6, 40));
        map.put("app:melon", follow(Domain.DATA_USAGE, "data:music-streaming", 0.5, 15));
        map.put("app:stocks", follow(Domain.APP_USE, "app:news", 0.6, 5));
        map.put("app:starbucks", follow(Domain.LOCATION_VISIT, "loc:cafe", 0.6, 10));
        map.put("app:kakaotalk", follow(Domain.CALL, "call:friend", 0.3, 3));
        map.put("app:cgv", follow(Domain.LOCATION_VISIT, "loc:cinema", 0.5, 90));
        map.put("app:skyscanner", follow(Domain.APP_USE, "app:tmap", 0.4, 30));
        map.put("tv:baseball-live", follow(Domain.APP_USE, "app:sports-live", 0.5, 60));
        map.put("loc:gym", follow(Domain.APP_USE, "app:step-counter", 0.6, 50));
        map.put("loc:airport", follow(Domain.DATA_USAGE, "data:roaming", 0.7, 180));
        moreAppFollowUps(map);
        programmeFollowUps(map);
        placeFollowUps(map);
        return map;
    }

    private static void moreAppFollowUps(Map<String, FollowUp> map) {
        map.put("app:wavve", follow(Domain.DATA_USAGE, "data:video-streaming", 0.5, 30));
        map.put("app:flo", follow(Domain.DATA_USAGE, "data:music-streaming", 0.5, 15));
        map.put("app:discord", follow(Domain.CALL, "call:friend", 0.3, 10));
        map.put("app:mega-coffee", follow(Domain.LOCATION_VISIT, "loc:cafe", 0.6, 10));
        map.put("app:yogiyo", follow(Domain.APP_USE, "app:toss", 0.5, 3));
        map.put("app:11st", follow(Domain.APP_USE, "app:toss", 0.5, 4));
        map.put("app:pororo", follow(Domain.TV_VIEWING, "tv:kids-cartoon", 0.4, 20));
        map.put("app:kids-note", follow(Domain.CALL, "call:family", 0.4, 5));
        map.put("app:health", follow(Domain.LOCATION_VISIT, "loc:gym", 0.4, 40));
        map.put("app:webtoon", follow(Domain.APP_USE, "app:kakaotalk", 0.3, 10));
        map.put("app:duolingo", follow(Domain.APP_USE, "app:class101", 0.4, 15));
        map.put("app:instagram", follow(Domain.APP_USE, "app:kakaotalk", 0.4, 5));
        map.put("app:t-world", follow(Domain.PURCHASE, "mno:data-refill-10gb", 0.3, 2));
        map.put("app:news", follow(Domain.APP_USE, "app:stocks", 0.25, 5));
    }

    private static void programmeFollowUps(Map<String, FollowUp> map) {
        map.put("tv:football-live", follow(Domain.APP_USE, "app:sports-live", 0.5, 60));
        map.put("tv:home-shopping", follow(Domain.APP_USE, "app:coupang", 0.5, 20));
        map.put("tv:cooking-show", follow(Domain.APP_USE, "app:baemin", 0.5, 30));
        map.put("tv:market-report", follow(Domain.APP_USE, "app:stocks", 0.5, 10));
        map.put("tv:esports-league", follow(Domain.APP_USE, "app:lol", 0.5, 30));
        map.put("tv:travel-show", follow(Domain.APP_USE, "app:skyscanner", 0.4, 20));
        map.put("tv:health-talk", follow(Domain.APP_USE, "app:health", 0.4, 20));
        map.put("tv:music-show", follow(Domain.APP_USE, "app:melon", 0.5, 20));
        map.put("tv:vod-premiere", follow(Domain.APP_USE, "app:wavve", 0.4, 30));
        map.put("tv:movie-channel", follow(Domain.APP_USE, "app:cgv", 0.3, 40));
        map.put("tv:variety-show", follow(Domain.APP_USE, "app:instagram", 0.3, 15));
        map.put("tv:weekend-drama", follow(Domain.APP_USE, "app:webtoon", 0.3, 30));
    }

    private static void placeFollowUps(Map<String, FollowUp> map) {
        map.put("loc:pc-bang", follow(Domain.APP_USE, "app:lol", 0.6, 10));
        map.put("loc:kids-cafe", follow(Domain.CALL, "call:family", 0.4, 30));
        map.put("loc:bank", follow(Domain.APP_USE, "app:toss", 0.5, 15));
        map.put("loc:library", follow(Domain.APP_USE, "app:duolingo", 0.4, 30));
        map.put("loc:hospital", follow(Domain.CALL, "call:family", 0.5, 20));
        map.put("loc:cafe", follow(Domain.APP_USE, "app:instagram", 0.3, 15));
    }

    private static FollowUp follow(Domain domain, String item, double probability, int minutes) {
        return new FollowUp(domain, item, probability, Duration.ofMinutes(minutes));
    }
}
