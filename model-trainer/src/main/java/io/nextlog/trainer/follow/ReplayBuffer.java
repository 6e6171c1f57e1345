package io.nextlog.trainer.follow;

import io.nextlog.schemas.event.TrainingExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Earlier positive examples, replayed beside new feedback so fine-tuning does not forget what the
 * model knew: a uniform reservoir sample of every positive offered, of bounded size.
 *
 * <p>Not thread-safe.
 */
final class ReplayBuffer {

    private final int capacity;
    private final Random random;
    private final List<TrainingExample> kept;
    private long offered;

    ReplayBuffer(int capacity, long seed, List<TrainingExample> restored, long offeredBefore) {
        this.capacity = capacity;
        this.random = new Random(seed);
        this.kept = new ArrayList<>(restored.subList(0, Math.min(capacity, restored.size())));
        this.offered = Math.max(offeredBefore, kept.size());
    }

    /** Offers a positive example; keeps it with probability capacity / offered. */
    void offer(TrainingExample example) {
        offered++;
        if (kept.size() < capacity) {
            kept.add(example);
            return;
        }
        long slot = (long) (random.nextDouble() * offered);
        if (slot < capacity) {
            kept.set((int) slot, example);
        }
    }

    /** Draws {@code count} examples uniformly with repeats; none when the buffer is empty. */
    List<TrainingExample> sample(int count) {
        List<TrainingExample> drawn = new ArrayList<>(count);
        for (int i = 0; i < count && !kept.isEmpty(); i++) {
            drawn.add(kept.get(random.nextInt(kept.size())));
        }
        return drawn;
    }

    List<TrainingExample> contents() {
        return List.copyOf(kept);
    }

    long offered() {
        return offered;
    }

    int size() {
        return kept.size();
    }
}
