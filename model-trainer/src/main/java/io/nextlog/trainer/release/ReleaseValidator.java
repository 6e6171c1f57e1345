package io.nextlog.trainer.release;

import ai.onnxruntime.OrtException;
import io.nextlog.bundle.ModelBundle;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.schemas.event.TrainingExample;
import io.nextlog.tokenize.Vocabulary;
import io.nextlog.trainer.data.UserSequence;
import io.nextlog.trainer.eval.LeaveOneOutEvaluator;
import io.nextlog.trainer.eval.LeaveOneOutSplit;
import io.nextlog.trainer.eval.OnnxBundleScorer;
import io.nextlog.trainer.eval.RankingResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether a candidate bundle may be released, by running its exported graph in ONNX Runtime
 * exactly as the scorers will.
 *
 * <ul>
 *   <li><b>Golden inputs</b>: a one-event journey of an unknown item, a journey of the longest
 *       length, and the held-out journeys must all give finite scores over the whole vocabulary.
 *   <li><b>Held-out ranking</b>: on the held-out positive examples (answers the trainer never
 *       learned from), the target is ranked among 100 sampled negatives by the candidate and by the
 *       live bundle, with the same negatives; the candidate's HR@10 and NDCG@10 may fall at most
 *       {@code tolerance} (absolute) below the live one's. With fewer than {@code minHoldout}
 *       examples the comparison is not made, and the metrics say so by their count.
 * </ul>
 *
 * <p>Stateless apart from its settings; safe to share.
 */
public final class ReleaseValidator {

    /** Evaluation seed: every validation ranks against the same negatives for equal examples. */
    private static final long NEGATIVES_SEED = 42;

    private final double tolerance;
    private final int minHoldout;

    /**
     * @param tolerance how far (absolute) the candidate's held-out HR@10 and NDCG@10 may fall below
     *     the live release's
     * @param minHoldout the fewest held-out examples for the ranking comparison
     */
    public ReleaseValidator(double tolerance, int minHoldout) {
        if (!(tolerance >= 0) || minHoldout < 1) {
            throw new IllegalArgumentException(
                    "validation: expected tolerance >= 0 and minHoldout >= 1, found "
                            + tolerance
                            + " and "
                            + minHoldout);
        }
        this.tolerance = tolerance;
        this.minHoldout = minHoldout;
    }

    /**
     * What validation found.
     *
     * @param passed whether the candidate may be released
     * @param metrics what was measured, for the release record
     * @param reason why it failed, or a summary when it passed
     * @param brokenScores whether the failure was non-finite scores, not a worse ranking
     */
    public record Verdict(
            boolean passed, Map<String, Double> metrics, String reason, boolean brokenScores) {}

    /**
     * Validates a candidate against the live bundle.
     *
     * @param candidate the bundle to release
     * @param live the bundle serving now, or null when there is none
     * @param holdout held-out positive examples, newest last
     */
    public Verdict validate(
            ModelBundle candidate, ModelBundle live, List<TrainingExample> holdout) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        Vocabulary vocabulary = candidate.vocabulary();
        try (OnnxBundleScorer scorer = new OnnxBundleScorer(candidate)) {
            String broken = firstBrokenScores(scorer, golden(candidate, holdout));
            if (broken != null) {
                return new Verdict(false, metrics, broken, true);
            }
            List<UserSequence> sequences = heldOutSequences(holdout);
            metrics.put("holdout.examples", (double) sequences.size());
            if (live == null || sequences.size() < minHoldout) {
                return new Verdict(
                        true,
                        metrics,
                        String.format(
                                Locale.ROOT,
                                "golden inputs finite; held-out ranking not compared (%d examples,"
                                        + " %d needed%s)",
                                sequences.size(),
                                minHoldout,
                                live == null ? ", no live model" : ""),
                        false);
            }
            LeaveOneOutEvaluator evaluator =
                    new LeaveOneOutEvaluator(
                            LeaveOneOutSplit.of(sequences), vocabulary, NEGATIVES_SEED);
            RankingResult candidateResult =
                    evaluator.evaluate(scorer, LeaveOneOutEvaluator.Target.TEST);
            RankingResult liveResult;
            try (OnnxBundleScorer liveScorer = new OnnxBundleScorer(live)) {
                liveResult =
                        evaluator.evaluate(
                                liveScorer.inColumnsOf(vocabulary),
                                LeaveOneOutEvaluator.Target.TEST);
            }
            metrics.put("holdout.sampled_hr@10", candidateResult.sampledHitRate());
            metrics.put("holdout.sampled_ndcg@10", candidateResult.sampledNdcg());
            metrics.put("live.holdout.sampled_hr@10", liveResult.sampledHitRate());
            metrics.put("live.holdout.sampled_ndcg@10", liveResult.sampledNdcg());
            boolean passed =
                    candidateResult.sampledHitRate() >= liveResult.sampledHitRate() - tolerance
                            && candidateResult.sampledNdcg()
                                    >= liveResult.sampledNdcg() - tolerance;
            String summary =
                    String.format(
                            Locale.ROOT,
                            "held-out HR@10 %.4f vs live %.4f, NDCG@10 %.4f vs live %.4f over %d"
                                    + " examples, tolerance %.4f",
                            candidateResult.sampledHitRate(),
                            liveResult.sampledHitRate(),
                            candidateResult.sampledNdcg(),
                            liveResult.sampledNdcg(),
                            sequences.size(),
                            tolerance);
            return new Verdict(passed, metrics, summary, false);
        } catch (OrtException | RuntimeException e) {
            return new Verdict(
                    false,
                    metrics,
                    "model " + candidate.modelVersion() + " could not be scored: " + e,
                    true);
        }
    }

    /** Held-out examples as sequences whose last event is the answered item. */
    static List<UserSequence> heldOutSequences(List<TrainingExample> holdout) {
        List<UserSequence> sequences = new ArrayList<>(holdout.size());
        for (TrainingExample example : holdout) {
            List<JourneyStep> journey = example.getJourney();
            if (journey.size() + 1 < LeaveOneOutSplit.MIN_EVALUATED_EVENTS) {
                continue;
            }
            List<JourneyStep> steps = new ArrayList<>(journey);
            steps.add(targetStep(example));
            sequences.add(new UserSequence(example.getExampleId(), steps));
        }
        return sequences;
    }

    /** The answered item as a journey step at the time of the answer. */
    public static JourneyStep targetStep(TrainingExample example) {
        return JourneyStep.newBuilder()
                .setItem(example.getTargetItem())
                .setDomain(Domain.CAMPAIGN_RESPONSE)
                .setEventTime(example.getFeedbackTime())
                .build();
    }

    private static List<List<JourneyStep>> golden(
            ModelBundle candidate, List<TrainingExample> holdout) {
        List<List<JourneyStep>> journeys = new ArrayList<>();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        journeys.add(
                List.of(
                        JourneyStep.newBuilder()
                                .setItem("golden-unknown-item")
                                .setDomain(Domain.APP_USE)
                                .setEventTime(start)
                                .build()));
        int maxLength = candidate.config().tokenizer().maxLength();
        List<String> items = candidate.vocabulary().items();
        List<JourneyStep> longest = new ArrayList<>(maxLength);
        for (int i = 0; i < maxLength; i++) {
            String item = items.isEmpty() ? "golden-unknown-item" : items.get(i % items.size());
            longest.add(
                    JourneyStep.newBuilder()
                            .setItem(item)
                            .setDomain(Domain.values()[1 + i % (Domain.values().length - 1)])
                            .setEventTime(start.plusSeconds(60L * i))
                            .build());
        }
        journeys.add(longest);
        for (TrainingExample example : holdout) {
            if (!example.getJourney().isEmpty()) {
                journeys.add(example.getJourney());
            }
        }
        return journeys;
    }

    /** Describes the first input whose scores are not all finite, or returns null. */
    private static String firstBrokenScores(
            OnnxBundleScorer scorer, List<List<JourneyStep>> journeys) {
        for (int from = 0; from < journeys.size(); from += 64) {
            List<List<JourneyStep>> batch =
                    journeys.subList(from, Math.min(journeys.size(), from + 64));
            float[][] scores = scorer.score(batch);
            for (int row = 0; row < scores.length; row++) {
                for (int id = 0; id < scores[row].length; id++) {
                    if (!Float.isFinite(scores[row][id])) {
                        return String.format(
                                Locale.ROOT,
                                "golden input %d (%d events): expected finite scores, found %s at"
                                        + " item id %d",
                                from + row,
                                batch.get(row).size(),
                                scores[row][id],
                                id);
                    }
                }
            }
        }
        return null;
    }
}
