package io.nextlog.bundle;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The manifest of a bundle, stored as {@value ModelBundle#MANIFEST_FILE}.
 *
 * @param formatVersion the bundle format; readers refuse versions they do not know
 * @param provenance version, parent, data, config, seed and metrics of the model
 * @param signature the inputs and outputs of the ONNX graph
 * @param sha256ByFile lower-case hex sha256 of every file in the bundle except the manifest, by
 *     path relative to the bundle directory with {@code /} separators
 */
public record BundleManifest(
        int formatVersion,
        ModelProvenance provenance,
        GraphSignature signature,
        Map<String, String> sha256ByFile) {

    /** The format this code writes. */
    public static final int CURRENT_FORMAT_VERSION = 1;

    /** Copies the file map into path order. */
    public BundleManifest {
        sha256ByFile = Collections.unmodifiableMap(new TreeMap<>(sha256ByFile));
    }
}
