package io.nextlog.trainer.cli;

import io.nextlog.trainer.TrainingRun;
import io.nextlog.trainer.eval.RankingResult;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Draws training progress on one terminal line: epoch, a bar through the epoch, the epoch's mean
 * loss, training tokens per second and the ETA of the remaining epochs (if none stops early). The
 * line is redrawn at most every {@value #REDRAW_MILLIS} ms and ends with each validation.
 *
 * <p>Not thread-safe; the training loop calls it from its own thread.
 */
final class ProgressBar implements TrainingRun.Listener {

    private static final long REDRAW_MILLIS = 500;
    private static final int WIDTH = 24;

    private final PrintStream out;
    private final boolean enabled;
    private long lastDrawMillis;

    /**
     * @param out where to draw, normally stderr
     * @param enabled false prints only the validation lines
     */
    ProgressBar(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    @Override
    public void onStep(TrainingRun.StepProgress progress) {
        long now = System.currentTimeMillis();
        boolean epochDone = progress.step() == progress.stepsPerEpoch();
        if (!enabled || (now - lastDrawMillis < REDRAW_MILLIS && !epochDone)) {
            return;
        }
        lastDrawMillis = now;
        out.print("\r" + line(progress));
        out.flush();
    }

    @Override
    public void onValidation(int epoch, RankingResult validation, boolean best) {
        if (enabled) {
            out.println();
        }
        out.printf(Locale.ROOT, "epoch %d validation: %s%s%n", epoch, validation, best ? " *" : "");
    }

    static String line(TrainingRun.StepProgress progress) {
        double epochFraction = (double) progress.step() / progress.stepsPerEpoch();
        int filled = (int) Math.round(epochFraction * WIDTH);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        double done = progress.epoch() - 1 + epochFraction;
        double remaining = progress.maxEpochs() - done;
        double etaSeconds = progress.elapsedSeconds() / Math.max(1e-9, done) * remaining;
        return String.format(
                Locale.ROOT,
                "epoch %d/%d [%s] loss %.4f  %,.0f tokens/s  ETA %s ",
                progress.epoch(),
                progress.maxEpochs(),
                bar,
                progress.loss(),
                progress.tokensPerSecond(),
                duration(etaSeconds));
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
