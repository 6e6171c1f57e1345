package io.nextlog.manifests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** deploy/compose/compose.yaml, parsed. */
final class ComposeFile {

    static final Path FOLDER = Repository.path("deploy/compose");
    static final Path FILE = FOLDER.resolve("compose.yaml");

    private ComposeFile() {}

    static Map<String, Object> read() {
        return Repository.yamlMap(FILE);
    }

    /** A service's command as words: a list as it is, a string split at white space. */
    static List<String> words(Object command) {
        List<String> words = new ArrayList<>();
        if (command instanceof List<?> list) {
            for (Object item : list) {
                words.addAll(List.of(String.valueOf(item).trim().split("\\s+")));
            }
        } else if (command != null) {
            words.addAll(List.of(String.valueOf(command).trim().split("\\s+")));
        }
        return words;
    }
}
