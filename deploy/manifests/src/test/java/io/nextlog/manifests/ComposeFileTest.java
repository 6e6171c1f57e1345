package io.nextlog.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * deploy/compose: the compose file parses and hangs together (images, builds, volumes, mounted
 * files, dependencies), runs classes and flags that exist, checks health on paths the services
 * serve, and its Prometheus and Grafana files point at what the stack has.
 */
class ComposeFileTest {

    private static final Map<String, Object> COMPOSE = ComposeFile.read();
    private static final Map<String, Object> SERVICES = Repository.map(COMPOSE, "services");

    @Test
    void shouldNameAnImageOrBuildForEveryService() {
        assertTrue(SERVICES.size() >= 12, "services: " + SERVICES.keySet());
        for (var service : SERVICES.entrySet()) {
            Object node = service.getValue();
            assertTrue(
                    Repository.text(node, "image") != null
                            || !Repository.map(node, "build").isEmpty(),
                    service.getKey() + ": expected an image or a build, found neither");
        }
    }

    @Test
    void shouldBuildEachNextlogImageInOneServiceFromADockerfileThatExists() {
        Map<String, Integer> builds = new HashMap<>();
        for (var service : SERVICES.entrySet()) {
            String image = Repository.text(service.getValue(), "image");
            Map<String, Object> build = Repository.map(service.getValue(), "build");
            if (!build.isEmpty()) {
                assertNotNull(image, service.getKey() + ": a build without an image name");
                builds.merge(Images.name(image), 1, Integer::sum);
                var context = ComposeFile.FOLDER.resolve(Repository.text(build, "context"));
                assertTrue(
                        Files.isRegularFile(context.resolve(Repository.text(build, "dockerfile"))),
                        service.getKey() + ": no Dockerfile " + build);
                String module = Repository.text(Repository.map(build, "args"), "MODULE");
                if (module != null) {
                    assertTrue(
                            Files.isRegularFile(context.resolve(module).resolve("pom.xml")),
                            service.getKey() + ": MODULE " + module + " is no module folder");
                }
            }
        }
        for (var service : SERVICES.entrySet()) {
            String image = Repository.text(service.getValue(), "image");
            if (image != null && image.startsWith("nextlog/")) {
                assertEquals(
                        1,
                        builds.getOrDefault(Images.name(image), 0),
                        service.getKey() + ": image " + image + " must be built by one service");
            }
        }
    }

    @Test
    void shouldDeclareEveryNamedVolumeAndFindEveryMountedFile() {
        Set<String> declared = Repository.map(COMPOSE, "volumes").keySet();
        Set<String> used = new TreeSet<>();
        for (var service : SERVICES.entrySet()) {
            for (Object mount : Repository.list(service.getValue(), "volumes")) {
                String source = String.valueOf(mount).split(":")[0];
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertTrue(
                            Files.exists(ComposeFile.FOLDER.resolve(source)),
                            service.getKey() + ": mounts " + source + ", which does not exist");
                } else {
                    assertTrue(
                            declared.contains(source),
                            service.getKey() + ": volume " + source + " is not declared");
                    used.add(source);
                }
            }
        }
        assertEquals(new TreeSet<>(declared), used, "declared volumes nobody mounts");
    }

    @Test
    void shouldDependOnlyOnServicesOfTheFile() {
        for (var service : SERVICES.entrySet()) {
            Object dependsOn = ((Map<?, ?>) service.getValue()).get("depends_on");
            Set<String> targets = new HashSet<>();
            if (dependsOn instanceof Map<?, ?> map) {
                map.keySet().forEach(k -> targets.add(String.valueOf(k)));
            } else if (dependsOn instanceof List<?> list) {
                list.forEach(k -> targets.add(String.valueOf(k)));
            }
            for (String target : targets) {
                assertTrue(SERVICES.containsKey(target), service.getKey() + ": " + target);
            }
        }
    }

    @Test
    void shouldMountTheModelStoreWritableInTheTrainerOnlyAndAlwaysAtModels() {
        Set<String> writers = new TreeSet<>();
        Set<String> readers = new TreeSet<>();
        for (var service : SERVICES.entrySet()) {
            for (Object mount : Repository.list(service.getValue(), "volumes")) {
                String[] parts = String.valueOf(mount).split(":");
                if (parts[0].equals("model-store")) {
                    assertEquals("/models", parts[1], service.getKey());
                    boolean readOnly = parts.length > 2 && parts[2].equals("ro");
                    (readOnly ? readers : writers).add(service.getKey());
                }
            }
        }
        assertEquals(Set.of("pretrain", "trainer"), writers);
        assertEquals(Set.of("scorer", "taskmanager"), readers);
    }

    @Test
    void shouldRunMainClassesAndFlagsTheImagesHold() {
        Map<String, String> modules = Images.modules();
        for (var service : SERVICES.entrySet()) {
            String image = Repository.text(service.getValue(), "image");
            if (image == null || !modules.containsKey(Images.name(image))) {
                continue;
            }
            String module = modules.get(Images.name(image));
            Set<String> classes = Repository.nextlogClasses(String.valueOf(service.getValue()));
            List<String> words = new ArrayList<>();
            words.addAll(ComposeFile.words(((Map<?, ?>) service.getValue()).get("command")));
            if (Images.name(image).equals(Images.FLINK_IMAGE)) {
                // Flink's own flags (standalone-job --job-classname) are Flink's business.
                classes.forEach(c -> Commands.assertMain(service.getKey(), module, c));
                continue;
            }
            classes.addAll(mainClassOfImage(Images.name(image)));
            Commands.assertRunnable(service.getKey(), module, classes, words);
        }
    }

    @Test
    void shouldCheckHealthOnPathsTheServicesServe() {
        Map<String, String> modules = Images.modules();
        int checks = 0;
        for (var service : SERVICES.entrySet()) {
            List<String> test =
                    Repository.list(Repository.map(service.getValue(), "healthcheck"), "test")
                            .stream()
                            .map(String::valueOf)
                            .toList();
            int script = test.indexOf("http-ok");
            if (script < 0) {
                continue;
            }
            String module = modules.get(Images.name(Repository.text(service.getValue(), "image")));
            String path = test.get(script + 2);
            assertTrue(
                    Repository.httpPaths(module).contains(path),
                    service.getKey() + ": " + module + " serves no " + path);
            checks++;
        }
        assertTrue(checks >= 4, "http-ok health checks: " + checks);
    }

    @Test
    void shouldScrapeServicesOfTheStackAndLoadTheAlertRules() {
        Map<String, Object> prometheus =
                Repository.yamlMap(ComposeFile.FOLDER.resolve("prometheus.yml"));
        for (Object job : Repository.list(prometheus, "scrape_configs")) {
            for (Object config : Repository.list(job, "static_configs")) {
                for (Object target : Repository.list(config, "targets")) {
                    String host = String.valueOf(target).split(":")[0];
                    assertTrue(SERVICES.containsKey(host), "scrape target " + target);
                }
            }
        }
        String mounts = String.valueOf(Repository.map(SERVICES, "prometheus").get("volumes"));
        assertTrue(mounts.contains("../monitoring/prometheus-alerts.yml:/etc/prometheus/rules/"));
        assertEquals(
                List.of("/etc/prometheus/rules/*.yml"), Repository.list(prometheus, "rule_files"));
    }

    @Test
    void shouldProvisionTheDashboardFromTheFolderItIsMountedIn() {
        Map<String, Object> providers =
                Repository.yamlMap(ComposeFile.FOLDER.resolve("grafana/dashboards.yaml"));
        String folder =
                Repository.text(
                        Repository.map(Repository.list(providers, "providers").get(0), "options"),
                        "path");
        String mounts = String.valueOf(Repository.map(SERVICES, "grafana").get("volumes"));
        assertTrue(mounts.contains("../monitoring/grafana-nextlog.json:" + folder + "/"), mounts);
        Map<String, Object> sources =
                Repository.yamlMap(ComposeFile.FOLDER.resolve("grafana/datasources.yaml"));
        String url = Repository.text(Repository.list(sources, "datasources").get(0), "url");
        assertTrue(url.startsWith("http://prometheus:9090"), url);
    }

    private static Set<String> mainClassOfImage(String image) {
        for (Object service : SERVICES.values()) {
            if (Images.name(String.valueOf(Repository.text(service, "image"))).equals(image)) {
                String main =
                        Repository.text(
                                Repository.map(Repository.map(service, "build"), "args"),
                                "MAIN_CLASS");
                if (main != null) {
                    return new HashSet<>(Set.of(main));
                }
            }
        }
        assertFalse(true, image + ": no service builds it with a MAIN_CLASS");
        return Set.of();
    }
}
