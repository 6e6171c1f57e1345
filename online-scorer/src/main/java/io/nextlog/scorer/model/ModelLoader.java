package io.nextlog.scorer.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.nextlog.bundle.BundleFormatException;
import io.nextlog.bundle.BundleIntegrityException;
import io.nextlog.bundle.BundleReader;
import io.nextlog.bundle.GraphSignature;
import io.nextlog.bundle.ModelBundle;
import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.scorer.metrics.ScorerMetrics;
import io.nextlog.scorer.onnx.SessionFactory;
import io.nextlog.tokenize.TokenBatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads bundles into {@link LoadedModel}s, checking everything before a model may serve.
 *
 * <p>The checks, in order, each naming itself in a {@link BundleRefusedException}: the release's
 * manifest sha256 (when given), the sha256 of every bundle file ({@link BundleReader}), the bundle
 * format and vocabulary file, the model version (when given), the manifest's graph signature
 * against {@link GraphSignature#NEXT_LOG_V1}, the graph's own inputs and outputs as ONNX Runtime
 * sees them, the vocabulary size against the graph's V, and a warm-up of forward passes whose
 * output shapes must be (B, V) and (B, T). Stateless apart from its factory; thread-safe.
 */
public final class ModelLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ModelLoader.class);

    /** Check name: sha256 of the manifest file against the release. */
    public static final String CHECK_MANIFEST_SHA256 = "manifest sha256";

    /** Check name: sha256 of a bundle file against the manifest. */
    public static final String CHECK_FILE_SHA256 = "file sha256";

    /** Check name: readable format and consistent vocabulary. */
    public static final String CHECK_FORMAT = "bundle format";

    /** Check name: model version against the release. */
    public static final String CHECK_VERSION = "model version";

    /** Check name: manifest signature against the one this scorer feeds. */
    public static final String CHECK_SIGNATURE = "graph signature";

    /** Check name: ONNX Runtime could open the graph, with the expected inputs and outputs. */
    public static final String CHECK_GRAPH = "onnx graph";

    /** Check name: the graph's V against the vocabulary. */
    public static final String CHECK_VOCABULARY = "vocabulary size";

    /** Check name: forward passes before going live. */
    public static final String CHECK_WARMUP = "warm-up";

    private static final int WARMUP_BATCH = 2;

    private final SessionFactory sessions;
    private final ScorerMetrics metrics;
    private final int warmupRuns;
    private final Clock clock;

    /**
     * @param sessions creates the ONNX Runtime sessions
     * @param metrics counts refused bundles
     * @param warmupRuns forward passes before a model is returned; at least 1
     * @param clock stamps load times
     */
    public ModelLoader(
            SessionFactory sessions, ScorerMetrics metrics, int warmupRuns, Clock clock) {
        if (warmupRuns < 1) {
            throw new IllegalArgumentException(
                    "warmupRuns: expected at least 1, found " + warmupRuns);
        }
        this.sessions = sessions;
        this.metrics = metrics;
        this.warmupRuns = warmupRuns;
        this.clock = clock;
    }

    /** Loads a bundle with no release to compare against. */
    public LoadedModel load(Path bundleDir) throws BundleRefusedException {
        return load(bundleDir, null, null);
    }

    /**
     * Loads, checks and warms up a bundle. The caller owns the returned model's one reference.
     *
     * @param bundleDir the bundle directory
     * @param expectedVersion the version the release names, or null
     * @param expectedManifestSha256 the manifest sha256 the release names (hex), or null
     * @throws BundleRefusedException naming the bundle, check, expected and found; counted in
     *     {@link ScorerMetrics#refusedBundles}
     */
    public LoadedModel load(
            Path bundleDir,
            @Nullable String expectedVersion,
            @Nullable String expectedManifestSha256)
            throws BundleRefusedException {
        try {
            long started = System.nanoTime();
            LoadedModel model = loadChecked(bundleDir, expectedVersion, expectedManifestSha256);
            LOG.info(
                    "Loaded model {} from {} in {} ms ({} warm-up runs)",
                    model.version(),
                    bundleDir,
                    (System.nanoTime() - started) / 1_000_000,
                    warmupRuns);
            return model;
        } catch (BundleRefusedException e) {
            metrics.refusedBundles.increment();
            LOG.warn("Refused {}", e.getMessage());
            throw e;
        }
    }

    private LoadedModel loadChecked(
            Path dir, @Nullable String expectedVersion, @Nullable String expectedManifestSha256)
            throws BundleRefusedException {
        if (expectedManifestSha256 != null) {
            String found = manifestSha256(dir);
            if (!found.equalsIgnoreCase(expectedManifestSha256)) {
                throw new BundleRefusedException(
                        dir, CHECK_MANIFEST_SHA256, expectedManifestSha256, found, null);
            }
        }
        ModelBundle bundle = read(dir);
        if (expectedVersion != null && !expectedVersion.equals(bundle.modelVersion())) {
            throw new BundleRefusedException(
                    dir, CHECK_VERSION, expectedVersion, bundle.modelVersion(), null);
        }
        if (!bundle.manifest().signature().equals(GraphSignature.NEXT_LOG_V1)) {
            throw new BundleRefusedException(
                    dir,
                    CHECK_SIGNATURE,
                    GraphSignature.NEXT_LOG_V1.toString(),
                    bundle.manifest().signature().toString(),
                    null);
        }
        OrtSession session = open(bundle);
        try {
            checkGraph(bundle, session);
            LoadedModel model = new LoadedModel(bundle, sessions.environment(), session);
            warmUp(bundle, model);
            model.stampLoaded(clock.instant());
            return model;
        } catch (BundleRefusedException | RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    private static ModelBundle read(Path dir) throws BundleRefusedException {
        try {
            return BundleReader.read(dir);
        } catch (BundleIntegrityException e) {
            throw new BundleRefusedException(
                    dir,
                    CHECK_FILE_SHA256 + " of " + dir.relativize(e.file()),
                    e.expected(),
                    e.found(),
                    e);
        } catch (BundleFormatException e) {
            throw new BundleRefusedException(
                    dir, CHECK_FORMAT, "a bundle this scorer can read", e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new BundleRefusedException(
                    dir, CHECK_FORMAT, "a readable bundle", String.valueOf(e), e);
        }
    }

    private OrtSession open(ModelBundle bundle) throws BundleRefusedException {
        try {
            return sessions.open(bundle.onnxModel());
        } catch (OrtException e) {
            throw new BundleRefusedException(
                    bundle.directory(),
                    CHECK_GRAPH,
                    "a graph ONNX Runtime can load",
                    e.getMessage(),
                    e);
        }
    }

    private static void checkGraph(ModelBundle bundle, OrtSession session)
            throws BundleRefusedException {
        Set<String> expectedInputs = names(GraphSignature.NEXT_LOG_V1.inputs());
        Set<String> expectedOutputs = names(GraphSignature.NEXT_LOG_V1.outputs());
        Set<String> inputs = new TreeSet<>(session.getInputNames());
        Set<String> outputs = new TreeSet<>(session.getOutputNames());
        if (!inputs.equals(expectedInputs) || !outputs.containsAll(expectedOutputs)) {
            throw new BundleRefusedException(
                    bundle.directory(),
                    CHECK_GRAPH,
                    "inputs " + expectedInputs + " and outputs " + expectedOutputs,
                    "inputs " + inputs + " and outputs " + outputs,
                    null);
        }
        long graphV = lastDim(session, GraphSignature.NEXT_SCORES);
        int vocabularyV = bundle.vocabulary().size();
        if (graphV > 0 && graphV != vocabularyV) {
            throw new BundleRefusedException(
                    bundle.directory(),
                    CHECK_VOCABULARY,
                    "V " + vocabularyV + " (vocabulary.json)",
                    "V " + graphV + " (graph output " + GraphSignature.NEXT_SCORES + ")",
                    null);
        }
    }

    private static long lastDim(OrtSession session, String output) throws BundleRefusedException {
        try {
            NodeInfo info = session.getOutputInfo().get(output);
            if (info != null && info.getInfo() instanceof TensorInfo tensor) {
                long[] shape = tensor.getShape();
                return shape.length == 0 ? -1 : shape[shape.length - 1];
            }
            return -1;
        } catch (OrtException e) {
            return -1;
        }
    }

    /**
     * Checks the output shapes on one pass into outputs ONNX Runtime sizes itself, then warms the
     * serving path, whose outputs are pinned to those shapes.
     */
    private void warmUp(ModelBundle bundle, LoadedModel model) throws BundleRefusedException {
        int timeSteps = bundle.config().tokenizer().maxLength();
        TokenBatch batch = model.tokenizer().tokenize(warmupJourneys(bundle, timeSteps));
        checkOutputShapes(bundle, forwardPass(bundle, () -> model.forwardUnpinned(batch)));
        for (int run = 0; run < warmupRuns; run++) {
            forwardPass(bundle, () -> model.forward(batch)).close();
        }
    }

    private static ForwardOutput forwardPass(ModelBundle bundle, Pass pass)
            throws BundleRefusedException {
        try {
            return pass.run();
        } catch (OrtException | RuntimeException e) {
            throw new BundleRefusedException(
                    bundle.directory(), CHECK_WARMUP, "a forward pass", String.valueOf(e), e);
        }
    }

    private static void checkOutputShapes(ModelBundle bundle, ForwardOutput output)
            throws BundleRefusedException {
        int vocabularyV = bundle.vocabulary().size();
        int timeSteps = bundle.config().tokenizer().maxLength();
        if (output.scoreCount() != WARMUP_BATCH * vocabularyV) {
            throw new BundleRefusedException(
                    bundle.directory(),
                    CHECK_VOCABULARY,
                    "scores of shape (" + WARMUP_BATCH + ", " + vocabularyV + ")",
                    output.scoreCount() + " scores",
                    null);
        }
        if (output.attributionCount() != WARMUP_BATCH * timeSteps) {
            throw new BundleRefusedException(
                    bundle.directory(),
                    CHECK_WARMUP,
                    "attribution of shape (" + WARMUP_BATCH + ", " + timeSteps + ")",
                    output.attributionCount() + " values",
                    null);
        }
    }

    @FunctionalInterface
    private interface Pass {
        ForwardOutput run() throws OrtException;
    }

    /** Full-length journeys over the vocabulary's first items and every real domain. */
    private static List<List<JourneyStep>> warmupJourneys(ModelBundle bundle, int length) {
        List<String> items = bundle.vocabulary().items();
        Domain[] domains = Domain.values();
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        List<List<JourneyStep>> journeys = new ArrayList<>();
        for (int row = 0; row < WARMUP_BATCH; row++) {
            List<JourneyStep> journey = new ArrayList<>();
            for (int step = 0; step < length; step++) {
                String item = items.isEmpty() ? "warm-up" : items.get((row + step) % items.size());
                Domain domain = domains[1 + (row + step) % (domains.length - 1)];
                journey.add(new JourneyStep(item, domain, start.plusSeconds(60L * step)));
            }
            journeys.add(journey);
        }
        return journeys;
    }

    private static Set<String> names(List<GraphSignature.TensorSpec> specs) {
        Set<String> names = new TreeSet<>();
        specs.forEach(spec -> names.add(spec.name()));
        return names;
    }

    private static String manifestSha256(Path dir) throws BundleRefusedException {
        Path manifest = dir.resolve(ModelBundle.MANIFEST_FILE);
        if (!Files.isRegularFile(manifest)) {
            throw new BundleRefusedException(
                    dir, CHECK_MANIFEST_SHA256, "a file " + manifest, "none", null);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(manifest), sha256())) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new BundleRefusedException(
                    dir, CHECK_MANIFEST_SHA256, "a readable manifest", String.valueOf(e), e);
        }
    }

    /** Returns the lower-case hex sha256 of a bundle's manifest, as releases name it. */
    public static String manifestSha256Of(Path bundleDir) throws IOException {
        try {
            return manifestSha256(bundleDir);
        } catch (BundleRefusedException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("Closing the session of a refused bundle failed", e);
        }
    }
}
