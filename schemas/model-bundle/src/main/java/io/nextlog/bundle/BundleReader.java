package io.nextlog.bundle;

import io.nextlog.bundle.BundleJson.VocabularyFile;
import io.nextlog.tokenize.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads bundles, always verifying them first. Stateless; safe to call from any thread. */
public final class BundleReader {

    private static final Logger LOG = LoggerFactory.getLogger(BundleReader.class);

    private BundleReader() {}

    /**
     * Verifies and reads a bundle.
     *
     * @throws BundleIntegrityException if a file does not match the manifest
     * @throws BundleFormatException if the format is unknown or the vocabulary does not fit the
     *     config
     */
    public static ModelBundle read(Path bundleDir) throws IOException {
        BundleManifest manifest = BundleVerifier.verify(bundleDir);
        Vocabulary vocabulary = readVocabulary(bundleDir, manifest.provenance().config());

        ModelBundle bundle = new ModelBundle(bundleDir, manifest, vocabulary);
        LOG.info(
                "Read bundle {}: model {} (parent {}), V {}",
                bundleDir,
                bundle.modelVersion(),
                manifest.provenance().parentVersion(),
                vocabulary.size());
        return bundle;
    }

    private static Vocabulary readVocabulary(Path bundleDir, ModelConfig config)
            throws IOException {
        Path file = bundleDir.resolve(ModelBundle.VOCABULARY_FILE);
        VocabularyFile stored = BundleJson.MAPPER.readValue(file.toFile(), VocabularyFile.class);
        if (stored.firstItemId() != Vocabulary.FIRST_ITEM_ID) {
            throw new BundleFormatException(
                    "vocabulary "
                            + file
                            + ": expected first item id "
                            + Vocabulary.FIRST_ITEM_ID
                            + ", found "
                            + stored.firstItemId());
        }
        if (stored.size() != config.vocabularySize()) {
            throw new BundleFormatException(
                    "vocabulary "
                            + file
                            + ": expected size "
                            + config.vocabularySize()
                            + " (the model config), found "
                            + stored.size());
        }
        return Vocabulary.of(stored.size(), stored.items());
    }
}
