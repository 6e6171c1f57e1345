package io.nextlog.scorer;

import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.event.CatalogItem;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.scorer.arm.ArmAssigner;
import io.nextlog.scorer.catalog.ChannelCatalog;
import io.nextlog.scorer.metrics.ScorerMetrics;
import io.nextlog.scorer.model.BundleRefusedException;
import io.nextlog.scorer.model.LoadedModel;
import io.nextlog.scorer.model.ModelLoader;
import io.nextlog.scorer.model.ModelSlots;
import io.nextlog.scorer.onnx.SessionFactory;
import io.nextlog.scorer.onnx.SessionSettings;
import io.nextlog.scorer.reason.ReasonBuilder;
import io.nextlog.scorer.reason.ReasonTemplates;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Wires a real scorer on the fixture bundle, with every item of the fixture on every channel. */
public final class TestScorers {

    /** The instant tests score at. */
    public static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

    /** The fixture's items. */
    public static final List<String> ITEMS = List.of("i0", "i1", "i2", "i3", "i4", "i5");

    private TestScorers() {}

    /** The parts of a test scorer. */
    public record Parts(
            Scorer scorer,
            ModelSlots slots,
            ModelLoader loader,
            ChannelCatalog catalog,
            ScorerMetrics metrics) {}

    /** A scorer with all users in the live arm unless {@code shares} says otherwise. */
    public static Parts create(Path initialBundle, String shares, RankingSettings ranking)
            throws BundleRefusedException {
        ScorerMetrics metrics = new ScorerMetrics();
        ModelLoader loader =
                new ModelLoader(
                        new SessionFactory(SessionSettings.CPU_DEFAULTS, metrics),
                        metrics,
                        1,
                        Clock.systemUTC());
        LoadedModel initial = loader.load(initialBundle);
        ModelSlots slots = new ModelSlots(initial, initial);
        Channels channels = Channels.defaults();
        ChannelCatalog catalog = new ChannelCatalog(channels, metrics);
        List<String> channelIds = channels.all().stream().map(c -> c.id()).toList();
        for (String item : ITEMS) {
            catalog.apply(item, catalogItem(item, channelIds, NOW.minusSeconds(3600), null));
        }
        Scorer scorer =
                new Scorer(
                        slots,
                        catalog,
                        channels,
                        ArmAssigner.of("test-salt", shares),
                        Set.of("holdout"),
                        new ReasonBuilder(
                                EnumSet.of(Domain.LOCATION_VISIT), 3, ReasonTemplates.defaults()),
                        ranking,
                        metrics,
                        Clock.systemUTC());
        metrics.liveVersionFrom(() -> slots.version(io.nextlog.scorer.model.ModelSlot.LIVE));
        return new Parts(scorer, slots, loader, catalog, metrics);
    }

    /** A scorer with every user live, default ranking, no consumed-item exclusion. */
    public static Parts create(Path initialBundle) throws BundleRefusedException {
        return create(initialBundle, "live=1", defaultRanking());
    }

    /** Top 10 of at most 100, no exclusion of consumed items. */
    public static RankingSettings defaultRanking() {
        return new RankingSettings(10, 100, Duration.ZERO, EnumSet.of(Domain.PURCHASE));
    }

    /** A catalog item. */
    public static CatalogItem catalogItem(
            String item, List<String> channels, Instant validFrom, Instant validUntil) {
        return CatalogItem.newBuilder()
                .setItemId(item)
                .setTitle("Title of " + item)
                .setCategory("test")
                .setChannels(channels)
                .setValidFrom(validFrom)
                .setValidUntil(validUntil)
                .setCampaignId(null)
                .setAttributes(Map.of())
                .build();
    }

    /** A journey over the given items, one minute apart, ending a minute before {@link #NOW}. */
    public static List<JourneyStep> journey(Domain domain, String... items) {
        List<JourneyStep> steps = new ArrayList<>();
        for (int i = 0; i < items.length; i++) {
            Instant when = NOW.minusSeconds(60L * (items.length - i));
            steps.add(new JourneyStep(items[i], domain, when));
        }
        return steps;
    }
}
