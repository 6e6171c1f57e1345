package io.nextlog.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** File listing shared by writer and verifier. */
final class BundleFiles {

    private BundleFiles() {}

    /** Returns every regular file under {@code dir} but the manifest, as relative '/' paths. */
    static List<String> contentFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .map(file -> relativeName(dir, file))
                    .filter(name -> !name.equals(ModelBundle.MANIFEST_FILE))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    private static String relativeName(Path dir, Path file) {
        Path relative = dir.relativize(file);
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }
}
