package io.nextlog.scorer;

import io.nextlog.bundle.BundleReader;
import io.nextlog.bundle.GraphSignature;
import io.nextlog.bundle.ModelBundle;
import io.nextlog.bundle.ModelConfig;
import io.nextlog.bundle.ModelProvenance;
import io.nextlog.tokenize.Vocabulary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The kept format-1 fixture bundle (V 12, maxLength 6, items i0..i5), and copies of it written with
 * {@link io.nextlog.bundle.BundleWriter}: same graph, a new version, or a deliberate fault.
 */
public final class TestBundles {

    private TestBundles() {}

    /** The fixture directory, as the test classpath holds it. */
    public static Path fixture() {
        URL url = TestBundles.class.getResource("/bundles/format-1-tiny/manifest.json");
        if (url == null) {
            throw new IllegalStateException(
                    "bundles/format-1-tiny missing from the test classpath");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a copy of the fixture under {@code parent} with model version {@code version}. */
    public static Path withVersion(Path parent, String version) {
        return write(parent.resolve(version), version, null, null);
    }

    /** A copy whose manifest declares a different signature than the graph has. */
    public static Path withSignature(Path parent, String version, GraphSignature signature) {
        return write(parent.resolve(version), version, signature, null);
    }

    /** A copy whose config and vocabulary say V {@code size}, while the graph keeps V 12. */
    public static Path withVocabularySize(Path parent, String version, int size) {
        return write(parent.resolve(version), version, null, size);
    }

    /** A valid copy whose graph file is then changed, so its sha256 no longer matches. */
    public static Path corrupt(Path parent, String version) {
        Path dir = withVersion(parent, version);
        try {
            Files.write(
                    dir.resolve(ModelBundle.ONNX_FILE),
                    new byte[] {0, 1, 2, 3},
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static Path write(
            Path dir, String version, GraphSignature signature, Integer vocabularySize) {
        try {
            ModelBundle source = BundleReader.read(fixture());
            ModelProvenance old = source.manifest().provenance();
            ModelConfig config = old.config();
            Vocabulary vocabulary = source.vocabulary();
            if (vocabularySize != null) {
                config =
                        new ModelConfig(
                                vocabularySize,
                                config.tokenizer(),
                                config.embeddingDim(),
                                config.blockCount(),
                                config.headCount(),
                                config.mlpDim());
                vocabulary = Vocabulary.of(vocabularySize, vocabulary.items());
            }
            ModelProvenance provenance =
                    new ModelProvenance(
                            version,
                            old.modelVersion(),
                            old.createdAt(),
                            old.dataSpan(),
                            config,
                            old.seed(),
                            old.validationMetrics());
            byte[] graph = Files.readAllBytes(source.onnxModel());
            Path checkpoint = source.checkpointDirectory();
            io.nextlog.bundle.BundleWriter.write(
                    dir,
                    provenance,
                    signature != null ? signature : source.manifest().signature(),
                    graph,
                    vocabulary,
                    target -> {
                        try (var files = Files.list(checkpoint)) {
                            for (Path file : files.toList()) {
                                Files.copy(file, target.resolve(file.getFileName()));
                            }
                        }
                    });
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A release of a bundle with its real manifest sha256. */
    public static io.nextlog.schemas.event.ModelRelease release(
            long sequence, String version, Path bundle) throws IOException {
        String sha =
                bundle.resolve("manifest.json").toFile().exists()
                        ? io.nextlog.scorer.model.ModelLoader.manifestSha256Of(bundle)
                        : "00";
        return io.nextlog.schemas.event.ModelRelease.newBuilder()
                .setSequence(sequence)
                .setKind(io.nextlog.schemas.event.ReleaseKind.PUBLISH)
                .setVersion(version)
                .setParentVersion(null)
                .setBundleUri(bundle.toUri().toString())
                .setSha256(sha)
                .setValidationMetrics(java.util.Map.of())
                .setReason(null)
                .setPublishedAt(java.time.Instant.parse("2025-03-01T00:00:00Z"))
                .build();
    }
}
