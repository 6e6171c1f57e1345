package io.nextlog.manifests;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * deploy/images: the Dockerfiles copy files that exist, use the versions the build uses, and put
 * the job jar and ONNX Runtime where the Flink manifests expect them; the job jar of the cluster
 * profile, when built, holds the job and neither Flink nor ONNX Runtime.
 */
class ImageDefinitionsTest {

    private static final String ROOT_POM = Images.read(Repository.path("pom.xml"));

    @Test
    void shouldCopyOnlyFilesOfTheRepositoryAndMakeTheScriptsExecutable() {
        for (Path dockerfile : List.of(Images.SERVICE_DOCKERFILE, Images.FLINK_DOCKERFILE)) {
            Matcher copy =
                    Pattern.compile("^COPY (deploy/\\S+(?: deploy/\\S+)*) \\S+$", Pattern.MULTILINE)
                            .matcher(Images.read(dockerfile));
            while (copy.find()) {
                for (String source : copy.group(1).split(" ")) {
                    Path file = Repository.path(source);
                    assertTrue(Files.isRegularFile(file), dockerfile + ": copies " + source);
                    assertTrue(Files.isExecutable(file), source + " is not executable");
                }
            }
        }
    }

    @Test
    void shouldTakeModuleAndMainClassAsBuildArguments() {
        String service = Images.read(Images.SERVICE_DOCKERFILE);
        assertTrue(service.contains("ARG MODULE"));
        assertTrue(service.contains("ARG MAIN_CLASS"));
        assertTrue(service.contains("ENV NEXTLOG_MAIN_CLASS=${MAIN_CLASS}"));
        assertTrue(service.contains("ENTRYPOINT [\"/opt/nextlog/bin/nextlog-run\"]"));
    }

    @Test
    void shouldBuildTheFlinkImageOnTheFlinkAndOnnxRuntimeVersionsOfTheBuild() {
        String flink = Images.read(Images.FLINK_DOCKERFILE);
        assertTrue(
                flink.contains("flink:" + property("flink.version") + "-scala_2.12-java17"),
                "Flink base image of another version than " + property("flink.version"));
        assertTrue(
                flink.contains("flink-metrics-prometheus-" + property("flink.version") + ".jar"));
        assertTrue(flink.contains("-Pcluster -pl stream-ingest"));
        assertTrue(flink.contains("/image/lib/ /opt/flink/lib/"));
        assertTrue(flink.contains("/image/usrlib/ /opt/flink/usrlib/"));
        assertTrue(flink.contains("onnxruntime-*.jar /image/lib/"));
    }

    @Test
    void shouldPackTheJobWithoutFlinkOrOnnxRuntime() throws IOException {
        Path target = Repository.path("stream-ingest/target");
        Path jar = target.resolve("nextlog-stream-ingest-" + version() + "-job.jar");
        Assumptions.assumeTrue(
                Files.isRegularFile(jar),
                "no job jar: mvn -B -Pcluster -pl stream-ingest -am package -DskipTests");
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            assertTrue(zip.getEntry("io/nextlog/ingest/IngestJob.class") != null);
            assertTrue(zip.getEntry("io/nextlog/scorer/EmbeddedScorer.class") != null);
            assertTrue(
                    zip.stream()
                            .anyMatch(
                                    e ->
                                            e.getName()
                                                    .startsWith(
                                                            "org/apache/flink/connector/kafka/")));
            for (String absent :
                    List.of(
                            "org/apache/flink/streaming/api/",
                            "org/apache/flink/runtime/",
                            "org/apache/flink/connector/base/",
                            "ai/onnxruntime/",
                            "org/rocksdb/",
                            "org/slf4j/")) {
                assertFalse(
                        zip.stream().anyMatch(e -> e.getName().startsWith(absent)),
                        jar + " holds " + absent);
            }
        }
        Path onnx =
                target.resolve("flink-lib/onnxruntime-" + property("onnxruntime.version") + ".jar");
        assertTrue(Files.isRegularFile(onnx), "expected " + onnx);
    }

    private static String property(String name) {
        Matcher matcher =
                Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)<").matcher(ROOT_POM);
        assertTrue(matcher.find(), "root pom: no " + name);
        return matcher.group(1);
    }

    private static String version() {
        Matcher matcher =
                Pattern.compile("<artifactId>nextlog</artifactId>\\s*<version>([^<]+)<")
                        .matcher(ROOT_POM);
        assertTrue(matcher.find());
        return matcher.group(1);
    }
}
