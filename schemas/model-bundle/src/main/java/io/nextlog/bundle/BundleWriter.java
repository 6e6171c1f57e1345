package io.nextlog.bundle;

import io.nextlog.bundle.BundleJson.VocabularyFile;
import io.nextlog.tokenize.Vocabulary;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes bundles atomically: everything goes into a hidden sibling directory, is flushed to disk,
 * and only then renamed to the bundle's name. A reader sees a complete bundle or none; a crash
 * leaves at most a {@code .<name>.tmp-*} sibling to delete. Bundles are immutable: an existing
 * bundle directory is never overwritten.
 *
 * <p>Stateless; safe to call from any thread, though two writers of one name race and one fails.
 */
public final class BundleWriter {

    private static final Logger LOG = LoggerFactory.getLogger(BundleWriter.class);

    private BundleWriter() {}

    /** Writes the trainer's own checkpoint files into the (empty) checkpoint folder it is given. */
    @FunctionalInterface
    public interface CheckpointWriter {

        /**
         * Writes the checkpoint files.
         *
         * @param checkpointDir an existing, empty folder inside the staging bundle
         */
        void writeTo(Path checkpointDir) throws IOException;
    }

    /**
     * Writes a bundle.
     *
     * @param bundleDir the directory to create; its parent must exist
     * @param provenance version, parent, data span, config, seed, metrics
     * @param signature the signature of {@code onnxModel}
     * @param onnxModel the serialised ONNX graph
     * @param vocabulary the item vocabulary; its size must equal the config's
     * @param checkpoint writes the trainable checkpoint
     * @return the written bundle
     * @throws FileAlreadyExistsException if {@code bundleDir} exists
     * @throws IllegalArgumentException if the vocabulary does not fit the config
     */
    public static ModelBundle write(
            Path bundleDir,
            ModelProvenance provenance,
            GraphSignature signature,
            byte[] onnxModel,
            Vocabulary vocabulary,
            CheckpointWriter checkpoint)
            throws IOException {
        requireFits(provenance, vocabulary);
        if (Files.exists(bundleDir)) {
            throw new FileAlreadyExistsException(bundleDir.toString(), null, "bundles are final");
        }
        Path staging = stagingSibling(bundleDir);
        try {
            BundleManifest manifest =
                    writeContents(
                            staging, provenance, signature, onnxModel, vocabulary, checkpoint);
            syncTree(staging);
            Files.move(staging, bundleDir, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(bundleDir.toAbsolutePath().getParent());

            LOG.info("Wrote bundle {}: model {}", bundleDir, provenance.modelVersion());
            return new ModelBundle(bundleDir, manifest, vocabulary);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(staging);
            throw e;
        }
    }

    private static BundleManifest writeContents(
            Path staging,
            ModelProvenance provenance,
            GraphSignature signature,
            byte[] onnxModel,
            Vocabulary vocabulary,
            CheckpointWriter checkpoint)
            throws IOException {
        Files.createDirectory(staging);
        Files.write(staging.resolve(ModelBundle.ONNX_FILE), onnxModel);
        BundleJson.MAPPER.writeValue(
                staging.resolve(ModelBundle.VOCABULARY_FILE).toFile(),
                VocabularyFile.of(vocabulary));
        Path checkpointDir = Files.createDirectory(staging.resolve(ModelBundle.CHECKPOINT_DIR));
        checkpoint.writeTo(checkpointDir);

        BundleManifest manifest =
                new BundleManifest(
                        BundleManifest.CURRENT_FORMAT_VERSION,
                        provenance,
                        signature,
                        hashAll(staging));
        BundleJson.MAPPER.writeValue(staging.resolve(ModelBundle.MANIFEST_FILE).toFile(), manifest);
        return manifest;
    }

    private static Map<String, String> hashAll(Path dir) throws IOException {
        Map<String, String> sha256ByFile = new LinkedHashMap<>();
        for (String name : BundleFiles.contentFiles(dir)) {
            sha256ByFile.put(name, Sha256.of(dir.resolve(name)));
        }
        return sha256ByFile;
    }

    private static void requireFits(ModelProvenance provenance, Vocabulary vocabulary) {
        int expected = provenance.config().vocabularySize();
        if (vocabulary.size() != expected) {
            throw new IllegalArgumentException(
                    "vocabulary of model "
                            + provenance.modelVersion()
                            + ": expected size "
                            + expected
                            + " (the config), found "
                            + vocabulary.size());
        }
    }

    private static Path stagingSibling(Path bundleDir) {
        Path absolute = bundleDir.toAbsolutePath();
        String name = "." + absolute.getFileName() + ".tmp-" + UUID.randomUUID();
        return absolute.resolveSibling(name);
    }

    /** Forces every file, then every folder (deepest first), so the rename publishes data. */
    private static void syncTree(Path root) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                syncDirectory(path);
            } else {
                try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        // Linux allows fsync on a folder opened for reading; that makes new entries durable.
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void deleteQuietly(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete the staging folder {} of a failed bundle write", root, e);
        }
    }
}
