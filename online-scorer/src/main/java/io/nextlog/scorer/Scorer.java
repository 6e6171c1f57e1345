package io.nextlog.scorer;

import ai.onnxruntime.OrtException;
import io.nextlog.schemas.channel.Channel;
import io.nextlog.schemas.channel.Channels;
import io.nextlog.schemas.event.CatalogItem;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.schemas.event.RankedItem;
import io.nextlog.schemas.event.Recommendation;
import io.nextlog.scorer.arm.ArmAssigner;
import io.nextlog.scorer.catalog.ChannelCatalog;
import io.nextlog.scorer.metrics.ScorerMetrics;
import io.nextlog.scorer.model.ForwardOutput;
import io.nextlog.scorer.model.LoadedModel;
import io.nextlog.scorer.model.ModelLease;
import io.nextlog.scorer.model.ModelSlot;
import io.nextlog.scorer.model.ModelSlots;
import io.nextlog.scorer.reason.Explanation;
import io.nextlog.scorer.reason.ReasonBuilder;
import io.nextlog.tokenize.TokenBatch;
import io.nextlog.tokenize.Vocabulary;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch scoring API: journeys in, ranked and explained recommendations per channel out.
 *
 * <p>A batch is split by the model its users' arms are served from (live, or the pinned baseline
 * for the baseline arms); each part is one forward pass, padded to its longest journey (capped at
 * the model's maxLength), on a model leased for the whole part, so a swap in the middle of a batch
 * does not change the model that finishes it. Top-K per channel comes from that one pass: the
 * scores of items the channel may not show now, items consumed recently and items the request
 * excludes are masked out.
 *
 * <p>Threading: {@link #score} is safe to call from many threads at once; calls do not block each
 * other except inside ONNX Runtime, whose own thread pool runs each pass. Each call in flight holds
 * one set of the model's reused pass buffers ({@link LoadedModel#forward}), so a model keeps as
 * many sets as calls ever ran on it at once. The HTTP service calls it from its one batching
 * thread; the Flink job calls it from each operator instance.
 */
public final class Scorer {

    private static final Logger LOG = LoggerFactory.getLogger(Scorer.class);
    private static final int MAX_CACHED_INDEXES = 4;

    private final ModelSlots slots;
    private final ChannelCatalog catalog;
    private final Channels channels;
    private final ArmAssigner arms;
    private final Set<String> baselineArms;
    private final ReasonBuilder reasons;
    private final RankingSettings ranking;
    private final ScorerMetrics metrics;
    private final Clock clock;
    private final Map<CandidateKey, Map<String, Candidates>> candidateCache =
            new ConcurrentHashMap<>();

    /**
     * @param slots the models
     * @param catalog the channel eligibility
     * @param channels the configured channels
     * @param arms the arm assignment
     * @param baselineArms arms served by {@link ModelSlot#BASELINE}
     * @param reasons builds the reasons
     * @param ranking top-K and exclusion settings
     * @param metrics batch sizes, forward times, journeys scored
     * @param clock the time of {@code generatedAt} and of requests without {@code now}
     */
    public Scorer(
            ModelSlots slots,
            ChannelCatalog catalog,
            Channels channels,
            ArmAssigner arms,
            Set<String> baselineArms,
            ReasonBuilder reasons,
            RankingSettings ranking,
            ScorerMetrics metrics,
            Clock clock) {
        this.slots = slots;
        this.catalog = catalog;
        this.channels = channels;
        this.arms = arms;
        this.baselineArms = Set.copyOf(baselineArms);
        this.reasons = reasons;
        this.ranking = ranking;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Checks a request without scoring it; the HTTP service does this before queueing.
     *
     * @throws InvalidRequestException saying what was expected and what was found
     */
    public void validate(ScoringRequest request) {
        if (request.userId() == null || request.userId().isBlank()) {
            throw new InvalidRequestException("userId: expected a non-blank id, found none");
        }
        if (request.journey().isEmpty()) {
            throw new InvalidRequestException(
                    "journey of user " + request.userId() + ": expected at least 1 event, found 0");
        }
        if (request.topK() < 0 || request.topK() > ranking.maxTopK()) {
            throw new InvalidRequestException(
                    "topK: expected 0 (the default) to "
                            + ranking.maxTopK()
                            + ", found "
                            + request.topK());
        }
        for (String channel : request.channels()) {
            if (channels.find(channel).isEmpty()) {
                throw new InvalidRequestException(
                        "channel: expected one of "
                                + channels.all().stream().map(Channel::id).toList()
                                + ", found '"
                                + channel
                                + "'");
            }
        }
    }

    /** Returns the slot the user's arm is served from. */
    public ModelSlot slotOf(String arm) {
        return baselineArms.contains(arm) ? ModelSlot.BASELINE : ModelSlot.LIVE;
    }

    /**
     * Scores a batch: one forward pass per model the batch's arms need.
     *
     * @param requests the batch; may be empty
     * @return one result per request, in the same order
     * @throws InvalidRequestException if a request is invalid; nothing is scored then
     * @throws ScoringException if ONNX Runtime fails
     */
    public List<ScoringResult> score(List<ScoringRequest> requests) {
        requests.forEach(this::validate);
        Map<ModelSlot, List<Integer>> rowsBySlot = new EnumMap<>(ModelSlot.class);
        String[] armOf = new String[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            armOf[i] = arms.armOf(requests.get(i).userId());
            rowsBySlot.computeIfAbsent(slotOf(armOf[i]), s -> new ArrayList<>()).add(i);
        }

        ScoringResult[] results = new ScoringResult[requests.size()];
        for (Map.Entry<ModelSlot, List<Integer>> part : rowsBySlot.entrySet()) {
            try (ModelLease lease = slots.acquire(part.getKey())) {
                scorePart(lease, requests, part.getValue(), armOf, results);
            }
        }
        return List.of(results);
    }

    private void scorePart(
            ModelLease lease,
            List<ScoringRequest> requests,
            List<Integer> rows,
            String[] armOf,
            ScoringResult[] results) {
        LoadedModel model = lease.model();
        List<List<JourneyStep>> journeys = new ArrayList<>(rows.size());
        int longest = 1;
        for (int index : rows) {
            List<JourneyStep> journey = requests.get(index).journey();
            journeys.add(journey);
            longest = Math.max(longest, journey.size());
        }
        int maxLength = model.bundle().config().tokenizer().maxLength();
        TokenBatch batch = model.tokenizer().tokenize(journeys, Math.min(longest, maxLength));

        try (ForwardOutput output = forward(model, batch)) {
            ChannelCatalog.Snapshot snapshot = catalog.snapshot();
            Map<String, Candidates> candidates = candidatesFor(model, snapshot);
            Instant generatedAt = clock.instant();
            Function<String, String> titleOf = item -> snapshot.titleOf(item).orElse(item);

            for (int row = 0; row < rows.size(); row++) {
                int index = rows.get(row);
                ScoringRequest request = requests.get(index);
                Explanation explanation =
                        reasons.explain(request.journey(), output, row, batch.length(row), titleOf);
                results[index] =
                        new ScoringResult(
                                request.userId(),
                                armOf[index],
                                lease.slot(),
                                model.version(),
                                recommend(
                                        request,
                                        armOf[index],
                                        model,
                                        output,
                                        row,
                                        candidates,
                                        explanation,
                                        generatedAt));
            }
        }
        metrics.journeysScored.add(rows.size());
    }

    private ForwardOutput forward(LoadedModel model, TokenBatch batch) {
        long started = System.nanoTime();
        try {
            ForwardOutput output = model.forward(batch);
            metrics.forwardLatency.observe((System.nanoTime() - started) / 1e9);
            metrics.batchSize.observe(batch.batchSize());
            return output;
        } catch (OrtException e) {
            throw new ScoringException(
                    "forward pass of model "
                            + model.version()
                            + " on a batch of "
                            + batch.batchSize()
                            + " x "
                            + batch.timeSteps()
                            + " failed: "
                            + e.getMessage(),
                    e);
        }
    }

    private List<Recommendation> recommend(
            ScoringRequest request,
            String arm,
            LoadedModel model,
            ForwardOutput output,
            int row,
            Map<String, Candidates> candidates,
            Explanation explanation,
            Instant generatedAt) {
        Instant now = request.now() != null ? request.now() : generatedAt;
        Set<String> excluded = excludedItems(request, now);
        int topK = request.topK() == 0 ? ranking.defaultTopK() : request.topK();
        List<JourneyStep> journey = request.journey();
        Instant newest = journey.get(journey.size() - 1).getEventTime();

        List<String> wanted =
                request.channels().isEmpty()
                        ? channels.all().stream().map(Channel::id).toList()
                        : request.channels();
        List<Recommendation> recommendations = new ArrayList<>(wanted.size());
        for (String channel : wanted) {
            Candidates eligible = candidates.getOrDefault(channel, Candidates.NONE);
            List<RankedItem> items =
                    eligible.topK(output, row, topK, now, excluded, explanation.reasonText());
            recommendations.add(
                    Recommendation.newBuilder()
                            .setRecommendationId(UUID.randomUUID().toString())
                            .setUserId(request.userId())
                            .setChannel(channel)
                            .setItems(items)
                            .setReasonEvents(explanation.events())
                            .setDomainShares(explanation.domainShares())
                            .setModelVersion(model.version())
                            .setExperimentArm(arm)
                            .setGeneratedAt(generatedAt)
                            .setSourceEventTime(newest)
                            .build());
        }
        return recommendations;
    }

    /** The request's own exclusions plus the items consumed within the configured window. */
    private Set<String> excludedItems(ScoringRequest request, Instant now) {
        if (ranking.consumedWithin().isZero()) {
            return request.excludedItems();
        }
        Set<String> excluded = new HashSet<>(request.excludedItems());
        Instant since = now.minus(ranking.consumedWithin());
        for (JourneyStep step : request.journey()) {
            if (ranking.consumedDomains().contains(step.getDomain())
                    && !step.getEventTime().isBefore(since)) {
                excluded.add(step.getItem());
            }
        }
        return excluded;
    }

    /** The catalog items of every channel as ids of this model's vocabulary, cached per version. */
    private Map<String, Candidates> candidatesFor(
            LoadedModel model, ChannelCatalog.Snapshot snapshot) {
        CandidateKey key = new CandidateKey(model, snapshot.version());
        Map<String, Candidates> cached = candidateCache.get(key);
        if (cached != null) {
            return cached;
        }
        if (candidateCache.size() >= MAX_CACHED_INDEXES) {
            // Old models and catalog versions are not used again; a plain clear is enough.
            candidateCache.clear();
        }
        Map<String, Candidates> built = Candidates.index(model, snapshot, channels);
        candidateCache.put(key, built);
        return built;
    }

    /** Identity of a model plus a catalog version. */
    private record CandidateKey(LoadedModel model, long catalogVersion) {
        @Override
        public boolean equals(Object other) {
            return other instanceof CandidateKey key
                    && key.model == model
                    && key.catalogVersion == catalogVersion;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(model) * 31 + Long.hashCode(catalogVersion);
        }
    }

    /** The items one channel lists that one model can score. */
    static final class Candidates {

        static final Candidates NONE = new Candidates(new int[0], new CatalogItem[0]);

        private final int[] itemIds;
        private final CatalogItem[] items;

        private Candidates(int[] itemIds, CatalogItem[] items) {
            this.itemIds = itemIds;
            this.items = items;
        }

        static Map<String, Candidates> index(
                LoadedModel model, ChannelCatalog.Snapshot snapshot, Channels channels) {
            Vocabulary vocabulary = model.bundle().vocabulary();
            Map<String, Candidates> byChannel = new ConcurrentHashMap<>();
            for (Channel channel : channels.all()) {
                List<CatalogItem> listed = snapshot.itemsOf(channel.id());
                List<CatalogItem> known = new ArrayList<>(listed.size());
                for (CatalogItem item : listed) {
                    if (vocabulary.idOf(item.getItemId()) != Vocabulary.OOV_ID) {
                        known.add(item);
                    }
                }
                if (known.size() < listed.size()) {
                    // Such items (a campaign newer than the model) wait for a fine-tuned model
                    // that has learned an id for them; until then this model cannot rank them.
                    LOG.info(
                            "Model {} has no id for {} of the {} catalog items of channel {}",
                            model.version(),
                            listed.size() - known.size(),
                            listed.size(),
                            channel.id());
                }
                int[] ids = new int[known.size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = vocabulary.idOf(known.get(i).getItemId());
                }
                byChannel.put(channel.id(), new Candidates(ids, known.toArray(CatalogItem[]::new)));
            }
            return byChannel;
        }

        /**
         * The best {@code k} eligible items of one row, best first. A hot path (rows x catalog size
         * per batch): a sorted insertion into arrays of k, without boxing.
         */
        List<RankedItem> topK(
                ForwardOutput output,
                int row,
                int k,
                Instant now,
                Set<String> excluded,
                String reasonText) {
            int[] bestIndex = new int[k];
            float[] bestScore = new float[k];
            int count = 0;
            // Most requests exclude nothing; they skip the set lookup per candidate.
            boolean anyExcluded = !excluded.isEmpty();
            for (int i = 0; i < itemIds.length; i++) {
                float score = output.score(row, itemIds[i]);
                if (count == k && score <= bestScore[k - 1]) {
                    continue;
                }
                CatalogItem item = items[i];
                if (!ChannelCatalog.Snapshot.isValidAt(item, now)
                        || (anyExcluded && excluded.contains(item.getItemId()))) {
                    continue;
                }
                int at = count < k ? count++ : k - 1;
                while (at > 0 && bestScore[at - 1] < score) {
                    bestScore[at] = bestScore[at - 1];
                    bestIndex[at] = bestIndex[at - 1];
                    at--;
                }
                bestScore[at] = score;
                bestIndex[at] = i;
            }
            List<RankedItem> ranked = new ArrayList<>(count);
            for (int j = 0; j < count; j++) {
                ranked.add(
                        new RankedItem(items[bestIndex[j]].getItemId(), bestScore[j], reasonText));
            }
            return ranked;
        }
    }
}
