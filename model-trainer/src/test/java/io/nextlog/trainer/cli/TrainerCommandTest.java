package io.nextlog.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.bundle.BundleReader;
import io.nextlog.bundle.ModelBundle;
import io.nextlog.trainer.TrainingRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end on a tiny ratings file. */
class TrainerCommandTest {

    @TempDir Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void shouldPrintUsageForHelp() {
        assertEquals(0, run("--help"));
        assertTrue(out().contains("train     train on a data set"), out());
        assertEquals(0, run("train", "--help"));
    }

    @Test
    void shouldTrainWriteABundleAndInspectIt() throws Exception {
        Path data = ratings(20);
        Path bundleDir = dir.resolve("m1");

        int status =
                run(
                        "train",
                        "--data",
                        data.toString(),
                        "--format",
                        "ratings",
                        "--out",
                        bundleDir.toString(),
                        "--dim",
                        "8",
                        "--heads",
                        "1",
                        "--blocks",
                        "1",
                        "--max-length",
                        "8",
                        "--epochs",
                        "2",
                        "--eval-every",
                        "1",
                        "--batch-size",
                        "8",
                        "--seed",
                        "5");

        assertEquals(0, status, err());
        assertTrue(out().contains("test most-popular: users 20"), out());
        ModelBundle bundle = BundleReader.read(bundleDir);
        assertEquals(5, bundle.manifest().provenance().seed());
        assertTrue(
                bundle.manifest()
                        .provenance()
                        .validationMetrics()
                        .containsKey("validation.sampled_ndcg@10"));
        String record = Files.readString(bundle.checkpointDirectory().resolve(TrainingRecord.FILE));
        assertTrue(record.contains("\"maxEpochs\" : 2"), record);
        assertTrue(record.contains("\"users\" : 20"), record);

        assertEquals(0, run("inspect", "--bundle", bundleDir.toString(), "--users", "2"));
        assertTrue(out().contains("== predictions"), out());
        Path onnx = dir.resolve("m1.onnx");
        assertEquals(0, run("export", "--bundle", bundleDir.toString(), "--out", onnx.toString()));
        assertTrue(Files.size(onnx) > 0);
    }

    @Test
    void shouldFailWithFileAndLineForAMalformedRating() throws Exception {
        Path data = dir.resolve("bad.data");
        Files.writeString(data, "1\t1\t5\t10\n1\tx\n");

        assertEquals(2, run("evaluate", "--data", data.toString(), "--format", "ratings"));
        assertTrue(err().contains(data + " line 2: expected 4 columns"), err());
    }

    @Test
    void shouldFailClearlyOnAnUnknownFlag() {
        assertEquals(2, run("train", "--epoch", "3"));
        assertTrue(err().contains("found '--epoch'"), err());
    }

    private Path ratings(int users) throws Exception {
        Random random = new Random(3);
        StringBuilder text = new StringBuilder();
        for (int u = 1; u <= users; u++) {
            for (int i = 0; i < 6; i++) {
                text.append(u).append('\t').append(1 + random.nextInt(15)).append("\t4\t");
                text.append(1000 + i * 60).append('\n');
            }
        }
        Path file = dir.resolve("ratings.data");
        Files.writeString(file, text);
        return file;
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return TrainerCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
