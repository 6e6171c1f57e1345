package io.nextlog.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s: every document is a Kubernetes object with apiVersion, kind and name; the
 * kustomization lists every file; Services reach container ports; probes ask paths the services
 * serve; containers run classes and flags their images hold; the model store is shared as the
 * trainer's atomic renames need; the ingest job runs RocksDB, incremental and exactly-once.
 */
class KubernetesManifestsTest {

    private static final String FOLDER = "deploy/k8s";
    private static final List<Map<String, Object>> OBJECTS = objects();

    @Test
    void shouldGiveEveryDocumentApiVersionKindAndName() {
        assertTrue(OBJECTS.size() >= 12, "objects: " + OBJECTS.size());
        for (Map<String, Object> object : OBJECTS) {
            assertNotNull(Repository.text(object, "apiVersion"), object.toString());
            assertNotNull(Repository.text(object, "kind"), object.toString());
            assertNotNull(
                    Repository.text(Repository.map(object, "metadata"), "name"), kind(object));
        }
    }

    @Test
    void shouldListEveryManifestInTheKustomization() {
        Map<String, Object> kustomization =
                Repository.yamlMap(Repository.path(FOLDER).resolve("kustomization.yaml"));
        Set<String> listed = new TreeSet<>();
        Repository.list(kustomization, "resources").forEach(r -> listed.add(String.valueOf(r)));
        Set<String> files = new TreeSet<>();
        for (Path file : Repository.files(FOLDER, ".yaml")) {
            if (!file.getFileName().toString().equals("kustomization.yaml")) {
                files.add(file.getFileName().toString());
            }
        }
        assertEquals(files, listed);
    }

    @Test
    void shouldRouteEveryServicePortToAPortOfItsPods() {
        int services = 0;
        for (Map<String, Object> service : ofKind("Service")) {
            Map<String, Object> selector =
                    Repository.map(Repository.map(service, "spec"), "selector");
            List<Object> ports = containerPorts(selector);
            assertFalse(ports.isEmpty(), name(service) + ": selects no pod with ports");
            for (Object port : Repository.list(Repository.map(service, "spec"), "ports")) {
                String target = Repository.text(port, "targetPort");
                boolean found =
                        ports.stream()
                                .anyMatch(
                                        p ->
                                                Objects.equals(Repository.text(p, "name"), target)
                                                        || Objects.equals(
                                                                Repository.text(p, "containerPort"),
                                                                target));
                assertTrue(found, name(service) + ": targetPort " + target + " is no pod port");
            }
            services++;
        }
        assertTrue(services >= 3, "services: " + services);
    }

    @Test
    void shouldProbePathsTheServicesServe() {
        Map<String, String> modules = Images.modules();
        int probes = 0;
        for (Map<String, Object> deployment : ofKind("Deployment")) {
            for (Object container : containers(deployment)) {
                String module = modules.get(Images.name(Repository.text(container, "image")));
                assertNotNull(module, name(deployment) + ": image of no module");
                for (String probe : List.of("readinessProbe", "livenessProbe")) {
                    Map<String, Object> spec = Repository.map(container, probe);
                    assertFalse(spec.isEmpty(), name(deployment) + ": no " + probe);
                    String path = probePath(spec);
                    if (path != null) {
                        assertTrue(
                                Repository.httpPaths(module).contains(path),
                                name(deployment)
                                        + " "
                                        + probe
                                        + ": "
                                        + module
                                        + " serves no "
                                        + path);
                        probes++;
                    }
                }
            }
        }
        assertTrue(probes >= 6, "HTTP probes: " + probes);
    }

    @Test
    void shouldRunMainClassesAndFlagsTheImagesHold() {
        Map<String, String> modules = Images.modules();
        Map<String, String> mainClasses = composeMainClasses();
        for (Map<String, Object> deployment : ofKind("Deployment")) {
            for (Object container : containers(deployment)) {
                String image = Images.name(Repository.text(container, "image"));
                List<String> args = new ArrayList<>();
                Repository.list(container, "args").forEach(a -> args.add(String.valueOf(a)));
                Set<String> classes = Repository.nextlogClasses(String.valueOf(container));
                classes.add(mainClasses.get(image));
                Commands.assertRunnable(name(deployment), modules.get(image), classes, args);
            }
        }
        Map<String, Object> job = Repository.map(flinkDeployment().get("spec"), "job");
        Commands.assertMain(
                "FlinkDeployment",
                modules.get(Images.FLINK_IMAGE),
                Repository.text(job, "entryClass"));
    }

    @Test
    void shouldRunOneTrainerReplacedOnlyAfterItStopped() {
        Map<String, Object> spec = Repository.map(named("Deployment", "trainer"), "spec");
        assertEquals("1", Repository.text(spec, "replicas"));
        assertEquals("Recreate", Repository.text(Repository.map(spec, "strategy"), "type"));
    }

    @Test
    void shouldShareTheModelStoreReadWriteManyWritableInTheTrainerOnly() {
        Map<String, Object> claim = named("PersistentVolumeClaim", "model-store");
        assertEquals(
                List.of("ReadWriteMany"),
                Repository.list(Repository.map(claim, "spec"), "accessModes"));
        Set<String> writers = new TreeSet<>();
        Set<String> readers = new TreeSet<>();
        List<Map<String, Object>> pods = new ArrayList<>();
        ofKind("Deployment").forEach(d -> pods.add(podSpec(d)));
        pods.add(Repository.map(Repository.map(flinkDeployment(), "spec"), "podTemplate"));
        for (Map<String, Object> pod : pods) {
            Map<String, Object> spec = pod.containsKey("spec") ? Repository.map(pod, "spec") : pod;
            for (Object volume : Repository.list(spec, "volumes")) {
                Map<String, Object> pvc = Repository.map(volume, "persistentVolumeClaim");
                if (!"model-store".equals(Repository.text(pvc, "claimName"))) {
                    continue;
                }
                String volumeName = Repository.text(volume, "name");
                for (Object container : Repository.list(spec, "containers")) {
                    for (Object mount : Repository.list(container, "volumeMounts")) {
                        if (volumeName.equals(Repository.text(mount, "name"))) {
                            assertEquals("/models", Repository.text(mount, "mountPath"));
                            boolean readOnly = "true".equals(Repository.text(mount, "readOnly"));
                            (readOnly ? readers : writers).add(Repository.text(container, "name"));
                        }
                    }
                }
            }
        }
        assertEquals(Set.of("trainer"), writers);
        assertEquals(Set.of("flink-main-container", "scorer"), readers);
    }

    @Test
    void shouldRunTheIngestJobOnRocksDbWithIncrementalExactlyOnceCheckpoints() {
        Map<String, Object> spec = Repository.map(flinkDeployment(), "spec");
        Map<String, Object> flink = Repository.map(spec, "flinkConfiguration");
        assertEquals("rocksdb", flink.get("state.backend.type"));
        assertEquals("true", flink.get("execution.checkpointing.incremental"));
        assertEquals("EXACTLY_ONCE", flink.get("execution.checkpointing.mode"));
        assertNotNull(flink.get("execution.checkpointing.dir"));
        assertEquals("ai.onnxruntime.", flink.get("classloader.parent-first-patterns.additional"));
        String jar = Repository.text(Repository.map(spec, "job"), "jarURI");
        String jarName = jar.substring(jar.lastIndexOf('/') + 1);
        assertTrue(
                Images.read(Images.FLINK_DOCKERFILE).contains("/image/usrlib/" + jarName),
                "the Flink image holds no " + jar);
        String ingest = configMapFile("ingest-config", "ingest.properties");
        assertTrue(ingest.contains("delivery=exactly-once"), ingest);
    }

    @Test
    void shouldMountTheConfigFilesTheContainersAreGiven() {
        for (Map<String, Object> deployment : ofKind("Deployment")) {
            Map<String, Object> spec = podSpec(deployment);
            for (Object container : Repository.list(spec, "containers")) {
                for (Object arg : Repository.list(container, "args")) {
                    String file = String.valueOf(arg);
                    if (file.startsWith("/etc/nextlog/")) {
                        String configMap = configMapAt(spec, container, "/etc/nextlog");
                        configMapFile(configMap, file.substring("/etc/nextlog/".length()));
                    }
                }
            }
        }
    }

    static String configMapFile(String configMap, String key) {
        Object data = named("ConfigMap", configMap).get("data");
        String text = Repository.text(data, key);
        assertNotNull(text, "ConfigMap " + configMap + " has no " + key);
        return text;
    }

    private static String configMapAt(Map<String, Object> spec, Object container, String path) {
        for (Object mount : Repository.list(container, "volumeMounts")) {
            if (path.equals(Repository.text(mount, "mountPath"))) {
                for (Object volume : Repository.list(spec, "volumes")) {
                    if (Repository.text(volume, "name").equals(Repository.text(mount, "name"))) {
                        return Repository.text(Repository.map(volume, "configMap"), "name");
                    }
                }
            }
        }
        throw new AssertionError(
                Repository.text(container, "name") + ": nothing mounted at " + path);
    }

    private static String probePath(Map<String, Object> probe) {
        Map<String, Object> http = Repository.map(probe, "httpGet");
        if (!http.isEmpty()) {
            return Repository.text(http, "path");
        }
        List<Object> command = Repository.list(Repository.map(probe, "exec"), "command");
        if (!command.isEmpty() && command.get(0).equals("http-ok")) {
            return String.valueOf(command.get(2));
        }
        return null;
    }

    /** The MAIN_CLASS each nextlog image is built with, from the compose file's builds. */
    private static Map<String, String> composeMainClasses() {
        Map<String, String> classes = new java.util.HashMap<>();
        for (Object service : Repository.map(ComposeFile.read(), "services").values()) {
            String main =
                    Repository.text(
                            Repository.map(Repository.map(service, "build"), "args"), "MAIN_CLASS");
            if (main != null) {
                classes.put(Images.name(Repository.text(service, "image")), main);
            }
        }
        return classes;
    }

    private static List<Object> containerPorts(Map<String, Object> selector) {
        List<Object> ports = new ArrayList<>();
        for (Map<String, Object> deployment : ofKind("Deployment")) {
            Map<String, Object> labels =
                    Repository.map(
                            Repository.map(Repository.map(deployment, "spec"), "template"),
                            "metadata");
            if (Repository.map(labels, "labels").entrySet().containsAll(selector.entrySet())) {
                containers(deployment).forEach(c -> ports.addAll(Repository.list(c, "ports")));
            }
        }
        return ports;
    }

    private static Map<String, Object> podSpec(Map<String, Object> deployment) {
        return Repository.map(
                Repository.map(Repository.map(deployment, "spec"), "template"), "spec");
    }

    private static List<Object> containers(Map<String, Object> deployment) {
        return Repository.list(podSpec(deployment), "containers");
    }

    private static Map<String, Object> flinkDeployment() {
        return ofKind("FlinkDeployment").get(0);
    }

    private static Map<String, Object> named(String kind, String name) {
        return ofKind(kind).stream()
                .filter(o -> name.equals(name(o)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static List<Map<String, Object>> ofKind(String kind) {
        return OBJECTS.stream().filter(o -> kind.equals(kind(o))).toList();
    }

    private static String kind(Map<String, Object> object) {
        return Repository.text(object, "kind");
    }

    private static String name(Map<String, Object> object) {
        return Repository.text(Repository.map(object, "metadata"), "name");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects() {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Path file : Repository.files(FOLDER, ".yaml")) {
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                continue;
            }
            for (Object document : Repository.yamlDocuments(file)) {
                objects.add((Map<String, Object>) document);
            }
        }
        return objects;
    }
}
