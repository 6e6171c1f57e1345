package io.nextlog.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a bundle against its manifest: every listed file present with the listed sha256, no file
 * that is not listed.
 *
 * <p>This guards against corruption and half-copied bundles, not against an attacker, who could
 * rewrite the manifest too. Stateless; safe to call from any thread.
 */
public final class BundleVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(BundleVerifier.class);

    private BundleVerifier() {}

    /**
     * Verifies a bundle directory and returns its manifest.
     *
     * @throws BundleIntegrityException naming the first file that is changed, missing or not
     *     listed, with the expected and found sha256
     * @throws BundleFormatException if the manifest is of an unknown format version
     * @throws NoSuchFileException if there is no manifest
     */
    public static BundleManifest verify(Path bundleDir) throws IOException {
        BundleManifest manifest = readManifest(bundleDir);
        Map<String, String> expected = manifest.sha256ByFile();

        for (Map.Entry<String, String> listed : expected.entrySet()) {
            verifyFile(bundleDir, listed.getKey(), listed.getValue());
        }
        rejectUnlisted(bundleDir, expected);

        LOG.debug("Verified bundle {}: {} files", bundleDir, expected.size());
        return manifest;
    }

    static BundleManifest readManifest(Path bundleDir) throws IOException {
        Path file = bundleDir.resolve(ModelBundle.MANIFEST_FILE);
        BundleManifest manifest = BundleJson.MAPPER.readValue(file.toFile(), BundleManifest.class);
        if (manifest.formatVersion() != BundleManifest.CURRENT_FORMAT_VERSION) {
            throw new BundleFormatException(
                    "bundle "
                            + bundleDir
                            + ": expected format version "
                            + BundleManifest.CURRENT_FORMAT_VERSION
                            + ", found "
                            + manifest.formatVersion());
        }
        return manifest;
    }

    private static void verifyFile(Path bundleDir, String name, String expectedSha256)
            throws IOException {
        Path file = bundleDir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new BundleIntegrityException(
                    file, expectedSha256, BundleIntegrityException.MISSING);
        }
        String found = Sha256.of(file);
        if (!found.equals(expectedSha256)) {
            throw new BundleIntegrityException(file, expectedSha256, found);
        }
    }

    private static void rejectUnlisted(Path bundleDir, Map<String, String> expected)
            throws IOException {
        List<String> present = BundleFiles.contentFiles(bundleDir);
        for (String name : present) {
            if (!expected.containsKey(name)) {
                Path file = bundleDir.resolve(name);
                throw new BundleIntegrityException(
                        file, BundleIntegrityException.NOT_LISTED, Sha256.of(file));
            }
        }
    }
}
