package io.nextlog.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.tokenize.TokenizerSpec;
import io.nextlog.tokenize.Vocabulary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleWriterTest {

    private static final Vocabulary VOCABULARY = Vocabulary.of(8, List.of("a", "b", "c"));

    private static final ModelConfig CONFIG =
            new ModelConfig(8, new TokenizerSpec(4, 8, 16), 8, 1, 2, 16);

    private static final byte[] GRAPH = "not really onnx".getBytes(StandardCharsets.UTF_8);

    @TempDir Path dir;

    @Test
    void shouldReadBackWhatWasWritten() throws IOException {
        Path bundleDir = dir.resolve("m1");

        ModelBundle written = write(bundleDir);
        ModelBundle read = BundleReader.read(bundleDir);

        assertEquals(written.manifest(), read.manifest());
        assertEquals(VOCABULARY.items(), read.vocabulary().items());
        assertEquals(8, read.vocabulary().size());
        assertEquals(CONFIG, read.config());
        assertEquals("m0", read.manifest().provenance().parentVersion());
        assertEquals(
                List.of("checkpoint/optimizer.bin", "checkpoint/params.bin", "model.onnx"),
                read.manifest().sha256ByFile().keySet().stream()
                        .filter(name -> !name.equals("vocabulary.json"))
                        .toList());
        assertTrue(Files.readString(bundleDir.resolve("manifest.json")).contains("\"seed\" : 7"));
    }

    @Test
    void shouldRefuseTamperedByteNamingFileAndHashes() throws IOException {
        Path bundleDir = dir.resolve("m1");
        ModelBundle bundle = write(bundleDir);
        Path params = bundleDir.resolve("checkpoint/params.bin");
        String listed = bundle.manifest().sha256ByFile().get("checkpoint/params.bin");

        flipFirstByte(params);
        BundleIntegrityException error =
                assertThrows(BundleIntegrityException.class, () -> BundleReader.read(bundleDir));

        assertEquals(params, error.file());
        assertEquals(listed, error.expected());
        assertTrue(error.getMessage().startsWith("bundle file " + params + ": expected sha256 "));
        assertTrue(error.getMessage().contains(", found " + error.found()));
        assertTrue(!error.found().equals(listed));
    }

    @Test
    void shouldRefuseMissingAndUnlistedFiles() throws IOException {
        Path bundleDir = dir.resolve("m1");
        write(bundleDir);

        Files.writeString(bundleDir.resolve("checkpoint/extra.txt"), "x");
        BundleIntegrityException unlisted =
                assertThrows(
                        BundleIntegrityException.class, () -> BundleVerifier.verify(bundleDir));
        Files.delete(bundleDir.resolve("checkpoint/extra.txt"));
        Files.delete(bundleDir.resolve("model.onnx"));
        BundleIntegrityException missing =
                assertThrows(
                        BundleIntegrityException.class, () -> BundleVerifier.verify(bundleDir));

        assertEquals(BundleIntegrityException.NOT_LISTED, unlisted.expected());
        assertEquals(bundleDir.resolve("model.onnx"), missing.file());
        assertEquals(BundleIntegrityException.MISSING, missing.found());
    }

    @Test
    void shouldNeverOverwriteAndLeaveNoStagingBehind() throws IOException {
        Path bundleDir = dir.resolve("m1");
        write(bundleDir);

        assertThrows(FileAlreadyExistsException.class, () -> write(bundleDir));
        assertThrows(
                IOException.class,
                () ->
                        BundleWriter.write(
                                dir.resolve("m2"),
                                provenance(),
                                GraphSignature.NEXT_LOG_V1,
                                GRAPH,
                                VOCABULARY,
                                checkpointDir -> {
                                    throw new IOException("trainer failed");
                                }));

        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(bundleDir), left.toList());
        }
    }

    @Test
    void shouldRefuseVocabularyThatDoesNotFitConfig() {
        Vocabulary wrong = Vocabulary.of(9, List.of("a"));

        IllegalArgumentException error =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                BundleWriter.write(
                                        dir.resolve("m1"),
                                        provenance(),
                                        GraphSignature.NEXT_LOG_V1,
                                        GRAPH,
                                        wrong,
                                        checkpointDir -> {}));

        assertEquals(
                "vocabulary of model m1: expected size 8 (the config), found 9",
                error.getMessage());
    }

    @Test
    void shouldRefuseUnexpectedSignature() throws IOException {
        ModelBundle bundle = write(dir.resolve("m1"));
        GraphSignature other = new GraphSignature(List.of(), List.of());

        BundleFormatException error =
                assertThrows(BundleFormatException.class, () -> bundle.requireSignature(other));

        assertTrue(error.getMessage().contains("(model m1): expected graph signature"));
    }

    private static ModelBundle write(Path bundleDir) throws IOException {
        return BundleWriter.write(
                bundleDir,
                provenance(),
                GraphSignature.NEXT_LOG_V1,
                GRAPH,
                VOCABULARY,
                checkpointDir -> {
                    Files.write(checkpointDir.resolve("params.bin"), new byte[] {1, 2, 3});
                    Files.write(checkpointDir.resolve("optimizer.bin"), new byte[] {4, 5});
                });
    }

    private static ModelProvenance provenance() {
        Instant from = Instant.parse("2025-01-01T00:00:00Z");
        Instant to = Instant.parse("2025-02-01T00:00:00Z");
        return new ModelProvenance(
                "m1",
                "m0",
                Instant.parse("2025-02-02T10:00:00Z"),
                new DataSpan(from, to),
                CONFIG,
                7L,
                Map.of("recall@10", 0.25));
    }

    private static void flipFirstByte(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[0] ^= 0x01;
        Files.write(file, bytes);
    }
}
