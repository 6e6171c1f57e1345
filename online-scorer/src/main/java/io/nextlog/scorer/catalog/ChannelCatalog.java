package io.nextlog.scorer.catalog;

import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.event.CatalogItem;
import io.nextlog.scorer.metrics.ScorerMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offers each channel may show, as the {@code catalog-items} topic says: an item is eligible on
 * a channel it lists, from {@code validFrom} (inclusive) until {@code validUntil} (exclusive, or
 * forever when null). A tombstone removes the item.
 *
 * <p>Threading: {@link #apply} is called by one updater thread (the topic consumer, or a test);
 * {@link #snapshot} from any number of scoring threads. Each change bumps a version; the snapshot
 * is rebuilt at most once per version, so scoring pays for a rebuild only after a change.
 */
public final class ChannelCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelCatalog.class);

    private final Channels channels;
    private final ScorerMetrics metrics;
    private final Map<String, CatalogItem> items = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private final AtomicBoolean badItemLogged = new AtomicBoolean();
    private volatile Snapshot snapshot = new Snapshot(-1, Map.of(), Map.of());

    /** Creates an empty catalog for the configured channels. */
    public ChannelCatalog(Channels channels, ScorerMetrics metrics) {
        this.channels = channels;
        this.metrics = metrics;
    }

    /**
     * Applies one record of the topic.
     *
     * @param itemId the record key
     * @param item the record value, or null for a tombstone
     * @return false if the item was refused as invalid (counted, first one logged at WARN)
     */
    public boolean apply(String itemId, @Nullable CatalogItem item) {
        if (item == null) {
            if (items.remove(itemId) != null) {
                version.incrementAndGet();
            }
            return true;
        }
        String problem = problemOf(itemId, item);
        if (problem != null) {
            metrics.badRecords.increment();
            if (badItemLogged.compareAndSet(false, true)) {
                LOG.warn(
                        "Ignoring catalog item {}: {} (further ones counted only)",
                        itemId,
                        problem);
            }
            return false;
        }
        items.put(itemId, item);
        version.incrementAndGet();
        return true;
    }

    /** Returns the items as they are now, grouped by channel. */
    public Snapshot snapshot() {
        Snapshot current = snapshot;
        long now = version.get();
        if (current.version() == now) {
            return current;
        }
        Snapshot rebuilt = build(now);
        snapshot = rebuilt;
        return rebuilt;
    }

    /** Returns the number of items held. */
    public int size() {
        return items.size();
    }

    private Snapshot build(long atVersion) {
        Map<String, List<CatalogItem>> byChannel = new HashMap<>();
        Map<String, String> titles = new HashMap<>();
        for (CatalogItem item : items.values()) {
            titles.put(item.getItemId(), item.getTitle());
            for (String channel : item.getChannels()) {
                byChannel.computeIfAbsent(channel, c -> new ArrayList<>()).add(item);
            }
        }
        Map<String, List<CatalogItem>> frozen = new HashMap<>();
        byChannel.forEach((channel, list) -> frozen.put(channel, List.copyOf(list)));
        return new Snapshot(
                atVersion,
                Collections.unmodifiableMap(frozen),
                Collections.unmodifiableMap(titles));
    }

    private @Nullable String problemOf(String itemId, CatalogItem item) {
        if (!itemId.equals(item.getItemId())) {
            return "expected key and itemId to match, found key "
                    + itemId
                    + " and itemId "
                    + item.getItemId();
        }
        for (String channel : item.getChannels()) {
            if (channels.find(channel).isEmpty()) {
                return "channel: expected one of "
                        + channels.all().stream().map(c -> c.id()).toList()
                        + ", found '"
                        + channel
                        + "'";
            }
        }
        Instant until = item.getValidUntil();
        if (until != null && until.isBefore(item.getValidFrom())) {
            return "validity: expected validFrom <= validUntil, found "
                    + item.getValidFrom()
                    + " .. "
                    + until;
        }
        return null;
    }

    /**
     * The catalog at one version. Immutable.
     *
     * @param version the change count it reflects
     * @param byChannel items listing each channel, in no particular order
     * @param titleByItem display title of every item
     */
    public record Snapshot(
            long version,
            Map<String, List<CatalogItem>> byChannel,
            Map<String, String> titleByItem) {

        /** Returns the items listing a channel, valid or not. */
        public List<CatalogItem> itemsOf(String channel) {
            return byChannel.getOrDefault(channel, List.of());
        }

        /** Returns an item's title, if the catalog has it. */
        public Optional<String> titleOf(String itemId) {
            return Optional.ofNullable(titleByItem.get(itemId));
        }

        /** Whether an item may be offered at {@code now}. */
        public static boolean isValidAt(CatalogItem item, Instant now) {
            Instant until = item.getValidUntil();
            return !now.isBefore(item.getValidFrom()) && (until == null || now.isBefore(until));
        }
    }
}
