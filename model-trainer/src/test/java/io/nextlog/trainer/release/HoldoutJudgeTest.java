package io.nextlog.trainer.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.nextlog.schemas.event.ModelRelease;
import io.nextlog.schemas.event.RecoMetrics;
import io.nextlog.schemas.event.ReleaseKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HoldoutJudgeTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private final HoldoutJudge judge = new HoldoutJudge(Set.of("holdout"), 100, 0.3);

    @Test
    void waitsUntilBothArmsHaveTheMinimumImpressions() {
        List<ModelRelease> history = List.of(release(1, "v1", 0), release(2, "v2", 60));
        judge.clear("v1");
        judge.add(window("v2", "live", 120, 80, 0));
        judge.add(window("v1", "holdout", 120, 99, 10));

        HoldoutJudge.Verdict verdict = judge.judge(history, Set.of());

        assertInstanceOf(HoldoutJudge.Wait.class, verdict);
    }

    @Test
    void rollsBackToTheReleaseBeforeTheOldestSuspect() {
        List<ModelRelease> history =
                List.of(
                        release(1, "v1", 0),
                        release(2, "v2", 60),
                        release(3, "v3", 120),
                        release(4, "v4", 180));
        judge.clear("v1");
        // v2 never served; v3 and v4 did, and badly.
        judge.add(window("v3", "live", 120, 60, 1));
        judge.add(window("v4", "live", 180, 60, 1));
        judge.add(window("v1", "holdout", 120, 120, 12));

        HoldoutJudge.Verdict verdict = judge.judge(history, Set.of());

        HoldoutJudge.Rollback rollback = assertInstanceOf(HoldoutJudge.Rollback.class, verdict);
        assertEquals("v2", rollback.toVersion());
    }

    @Test
    void clearsSuspectsWithinTheAllowedDropAndCountsAReEmittedWindowOnce() {
        List<ModelRelease> history = List.of(release(1, "v1", 0), release(2, "v2", 60));
        judge.clear("v1");
        judge.add(window("v2", "live", 120, 50, 1));
        // The updater re-emits the window as counts grow; the newer emission replaces it.
        judge.add(window("v2", "live", 120, 150, 12));
        judge.add(window("v1", "holdout", 120, 150, 15));

        assertInstanceOf(HoldoutJudge.Keep.class, judge.judge(history, Set.of()));
        // Cleared: later traffic of v2 alone starts no new comparison.
        judge.add(window("v2", "live", 180, 500, 0));
        assertInstanceOf(HoldoutJudge.Wait.class, judge.judge(history, Set.of()));
    }

    @Test
    void neverPicksAVersionFoundWorse() {
        List<ModelRelease> history =
                List.of(release(1, "v1", 0), release(2, "bad", 60), release(3, "v3", 120));
        judge.clear("v1");
        judge.add(window("v3", "live", 150, 200, 0));
        judge.add(window("v1", "holdout", 150, 200, 20));

        HoldoutJudge.Rollback rollback =
                assertInstanceOf(HoldoutJudge.Rollback.class, judge.judge(history, Set.of("bad")));
        assertEquals("v1", rollback.toVersion());
    }

    @Test
    void countsAWindowOnlyOnceItsClicksHadTimeToArrive() {
        HoldoutJudge patient =
                new HoldoutJudge(Set.of("holdout"), 100, 0.3, java.time.Duration.ofMinutes(2));
        List<ModelRelease> history = List.of(release(1, "v1", 0), release(2, "v2", 60));
        patient.clear("v1");
        patient.add(window("v2", "live", 120, 200, 0));
        patient.add(window("v1", "holdout", 120, 200, 20));
        // The window ends at T0 + 180 s: a minute later it is still young.
        Instant young = T0.plusSeconds(240);
        Instant mature = T0.plusSeconds(301);

        assertInstanceOf(HoldoutJudge.Wait.class, patient.judge(history, Set.of(), young));
        assertInstanceOf(HoldoutJudge.Rollback.class, patient.judge(history, Set.of(), mature));
    }

    @Test
    void refusesSettingsThatCannotJudge() {
        assertThrows(IllegalArgumentException.class, () -> new HoldoutJudge(Set.of(), 100, 0.3));
        assertThrows(
                IllegalArgumentException.class, () -> new HoldoutJudge(Set.of("holdout"), 0, 0.3));
    }

    private static ModelRelease release(long sequence, String version, long secondsAfter) {
        return ModelRelease.newBuilder()
                .setSequence(sequence)
                .setKind(ReleaseKind.PUBLISH)
                .setVersion(version)
                .setParentVersion(null)
                .setBundleUri("file:///models/" + version)
                .setSha256("0".repeat(64))
                .setValidationMetrics(Map.of())
                .setReason(null)
                .setPublishedAt(T0.plusSeconds(secondsAfter))
                .build();
    }

    private static RecoMetrics window(
            String version, String arm, long startSeconds, long impressions, long clicks) {
        Instant start = T0.plusSeconds(startSeconds);
        return RecoMetrics.newBuilder()
                .setChannel("t-deal")
                .setModelVersion(version)
                .setExperimentArm(arm)
                .setWindowStart(start)
                .setWindowEnd(start.plusSeconds(60))
                .setImpressions(impressions)
                .setClicks(clicks)
                .setConverts(0)
                .setDismissals(0)
                .setCtr(impressions == 0 ? 0 : (double) clicks / impressions)
                .setConversionRate(0)
                .build();
    }
}
