package io.nextlog.lag;

import io.nextlog.lag.LiveSnapshot.ReleaseHistory;
import io.nextlog.schemas.event.ModelRelease;
import io.nextlog.schemas.event.ReleaseKind;
import javax.annotation.Nullable;

/**
 * Publishes and rollbacks folded from {@code model-releases} records, and the live one: the record
 * with the highest sequence, as the scorers apply them. A record of a kind this build does not know
 * ({@code UNKNOWN}) is refused by the scorers, so it neither counts nor becomes live here.
 *
 * <p>Not thread-safe: the view reads and folds on one thread.
 */
final class ReleaseLog {

    private long publishes;
    private long rollbacks;
    @Nullable private ModelRelease live;

    /** Takes one record in, in any order. */
    void add(ModelRelease release) {
        if (release.getKind() == ReleaseKind.PUBLISH) {
            publishes++;
        } else if (release.getKind() == ReleaseKind.ROLLBACK) {
            rollbacks++;
        } else {
            return;
        }
        if (live == null || release.getSequence() > live.getSequence()) {
            live = release;
        }
    }

    /** The history so far. */
    ReleaseHistory history() {
        if (live == null) {
            return ReleaseHistory.EMPTY;
        }
        return new ReleaseHistory(
                publishes,
                rollbacks,
                live.getSequence(),
                live.getVersion(),
                live.getKind().name(),
                live.getPublishedAt());
    }
}
