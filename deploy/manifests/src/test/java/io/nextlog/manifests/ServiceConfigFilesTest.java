package io.nextlog.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The properties files of the compose stack and the ConfigMaps are read by the services' own
 * configuration classes, loaded from each module as its image holds it: an unknown scorer key or a
 * bad value fails here as it would at start-up.
 */
class ServiceConfigFilesTest {

    private static final Path COMPOSE_CONFIG = ComposeFile.FOLDER.resolve("config");

    @TempDir Path temp;

    @Test
    void shouldLoadTheScorerFilesWithScorerConfig() throws Exception {
        Path k8s = temp.resolve("scorer.properties");
        Files.writeString(
                k8s, KubernetesManifestsTest.configMapFile("scorer-config", "scorer.properties"));
        for (Path file : new Path[] {COMPOSE_CONFIG.resolve("scorer.properties"), k8s}) {
            Object config =
                    invoke("online-scorer", "io.nextlog.scorer.config.ScorerConfig", "load", file);
            assertEquals(config.getClass().getName(), "io.nextlog.scorer.config.ScorerConfig");
            assertTrue(
                    load(file).getProperty("scorer.model.initial-bundle").startsWith("/models/"));
            assertEquals("0.0.0.0", load(file).getProperty("scorer.http.host"), file.toString());
        }
    }

    @Test
    void shouldReadTheIngestFilesWithIngestConfig() throws Exception {
        Properties compose = load(COMPOSE_CONFIG.resolve("ingest.properties"));
        Properties k8s =
                parse(KubernetesManifestsTest.configMapFile("ingest-config", "ingest.properties"));
        for (Properties props : new Properties[] {compose, k8s}) {
            Object config =
                    invoke("stream-ingest", "io.nextlog.ingest.IngestConfig", "from", props);
            assertEquals(true, config.getClass().getMethod("exactlyOnce").invoke(config));
            // The scorer inside each subtask gets the scorer.* keys: they must pass its checks.
            Properties scorer = new Properties();
            props.stringPropertyNames().stream()
                    .filter(k -> k.startsWith("scorer."))
                    .forEach(k -> scorer.setProperty(k, props.getProperty(k)));
            Path file = temp.resolve("ingest-scorer.properties");
            try (var out = Files.newBufferedWriter(file)) {
                scorer.store(out, null);
            }
            invoke("online-scorer", "io.nextlog.scorer.config.ScorerConfig", "load", file);
        }
    }

    @Test
    void shouldReadTheUpdaterFilesWithFeedbackUpdaterConfig() throws Exception {
        Properties compose = load(COMPOSE_CONFIG.resolve("feedback-updater.properties"));
        Properties k8s =
                parse(
                        KubernetesManifestsTest.configMapFile(
                                "feedback-updater-config", "feedback-updater.properties"));
        k8s.setProperty("http.host", "10.0.0.7");
        for (Properties props : new Properties[] {compose, k8s}) {
            Object config =
                    invoke(
                            "feedback-updater",
                            "io.nextlog.feedback.FeedbackUpdaterConfig",
                            "from",
                            props);
            Object stateDir = config.getClass().getMethod("stateDir").invoke(config);
            assertTrue(stateDir.toString().startsWith("/var/lib/nextlog/"), stateDir.toString());
        }
    }

    private static Object invoke(String module, String className, String method, Object argument)
            throws Exception {
        Class<?> type = Repository.moduleClass(module, className);
        Class<?> parameter = argument instanceof Path ? Path.class : Properties.class;
        try {
            return type.getMethod(method, parameter).invoke(null, argument);
        } catch (InvocationTargetException e) {
            throw new AssertionError(
                    className + "." + method + " refused " + argument, e.getCause());
        }
    }

    private static Properties load(Path file) throws IOException {
        try (var reader = Files.newBufferedReader(file)) {
            Properties props = new Properties();
            props.load(reader);
            return props;
        }
    }

    private static Properties parse(String text) throws IOException {
        Properties props = new Properties();
        props.load(new StringReader(text));
        return props;
    }
}
