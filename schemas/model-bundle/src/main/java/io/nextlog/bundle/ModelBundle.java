package io.nextlog.bundle;

import io.nextlog.tokenize.JourneyTokenizer;
import io.nextlog.tokenize.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A verified bundle on disk: its manifest, its vocabulary and where its graph and checkpoint are.
 * Obtained from {@link BundleReader#read} or {@link BundleWriter#write}. Immutable.
 */
public final class ModelBundle {

    /** The manifest file name. */
    public static final String MANIFEST_FILE = "manifest.json";

    /** The ONNX graph file name. */
    public static final String ONNX_FILE = "model.onnx";

    /** The vocabulary file name. */
    public static final String VOCABULARY_FILE = "vocabulary.json";

    /** The folder of the trainer's checkpoint files. */
    public static final String CHECKPOINT_DIR = "checkpoint";

    private final Path directory;
    private final BundleManifest manifest;
    private final Vocabulary vocabulary;

    ModelBundle(Path directory, BundleManifest manifest, Vocabulary vocabulary) {
        this.directory = directory;
        this.manifest = manifest;
        this.vocabulary = vocabulary;
    }

    /** Returns the bundle directory. */
    public Path directory() {
        return directory;
    }

    /** Returns the manifest. */
    public BundleManifest manifest() {
        return manifest;
    }

    /** Returns the model version, short for {@code manifest().provenance().modelVersion()}. */
    public String modelVersion() {
        return manifest.provenance().modelVersion();
    }

    /** Returns the architecture. */
    public ModelConfig config() {
        return manifest.provenance().config();
    }

    /** Returns the item vocabulary. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** Returns the tokenizer that turns journeys into this model's inputs. */
    public JourneyTokenizer tokenizer() {
        return new JourneyTokenizer(vocabulary, config().tokenizer());
    }

    /**
     * Returns the sha256 of the manifest file, hex: what a release names, and so, through the
     * manifest's own hashes, every file of the bundle.
     *
     * @throws IOException if the manifest cannot be read
     */
    public String manifestSha256() throws IOException {
        return Sha256.of(directory.resolve(MANIFEST_FILE));
    }

    /** Returns the path of the ONNX graph. */
    public Path onnxModel() {
        return directory.resolve(ONNX_FILE);
    }

    /** Returns the folder of the trainer's checkpoint files. */
    public Path checkpointDirectory() {
        return directory.resolve(CHECKPOINT_DIR);
    }

    /**
     * Checks that the graph has the signature a caller knows how to feed.
     *
     * @throws BundleFormatException if the signatures differ, naming the bundle and both
     */
    public void requireSignature(GraphSignature expected) throws BundleFormatException {
        if (!manifest.signature().equals(expected)) {
            throw new BundleFormatException(
                    "bundle "
                            + directory
                            + " (model "
                            + modelVersion()
                            + "): expected graph signature "
                            + expected
                            + ", found "
                            + manifest.signature());
        }
    }

    @Override
    public String toString() {
        return "ModelBundle[" + modelVersion() + " at " + directory + "]";
    }
}
