package io.nextlog.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which module each nextlog image is built from: the compose file's build arguments for the service
 * images, the Flink Dockerfile's {@code -pl} for the job image. Images of others (Kafka, Flink's
 * own, Prometheus) are not in it.
 */
final class Images {

    static final Path SERVICE_DOCKERFILE = Repository.path("deploy/images/service/Dockerfile");
    static final Path FLINK_DOCKERFILE = Repository.path("deploy/images/flink-job/Dockerfile");
    static final String FLINK_IMAGE = "nextlog/flink-job";

    private Images() {}

    /** Image name without tag, to its module folder. */
    static Map<String, String> modules() {
        Map<String, String> modules = new LinkedHashMap<>();
        for (Object service : Repository.map(ComposeFile.read(), "services").values()) {
            Map<String, Object> build = Repository.map(service, "build");
            String module = Repository.text(Repository.map(build, "args"), "MODULE");
            if (module != null) {
                modules.put(name(Repository.text(service, "image")), module);
            }
        }
        Matcher pl = Pattern.compile("-pl (\\S+)").matcher(read(FLINK_DOCKERFILE));
        if (!pl.find()) {
            throw new IllegalStateException(FLINK_DOCKERFILE + ": expected a -pl MODULE build");
        }
        modules.put(FLINK_IMAGE, pl.group(1));
        return modules;
    }

    /** The image name without its tag. */
    static String name(String image) {
        int colon = image.lastIndexOf(':');
        return colon < 0 ? image : image.substring(0, colon);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
