package io.nextlog.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The source tree as the deployment files see it: paths, YAML documents, each module's classes as
 * its image holds them, and what a module's sources say (HTTP paths, command-line flags).
 */
final class Repository {

    /** The repository root (the tests run in deploy/manifests). */
    static final Path HOME = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();

    /** A class name of the project, as a command line or manifest names it. */
    static final Pattern NEXTLOG_CLASS =
            Pattern.compile("\\bio\\.nextlog(?:\\.[a-z][a-z0-9]*)+\\.[A-Z][A-Za-z0-9]*\\b");

    private static final Pattern HTTP_CONTEXT =
            Pattern.compile("createContext\\(\\s*\"(/[^\"]*)\"", Pattern.MULTILINE);
    private static final Pattern STRING_LITERAL = Pattern.compile("\"([^\"\\\\]*)\"");
    private static final Map<String, URLClassLoader> LOADERS = new ConcurrentHashMap<>();

    private Repository() {}

    static Path path(String relative) {
        return HOME.resolve(relative);
    }

    /** Every document of a YAML file, anchors, aliases and merge keys resolved. */
    static List<Object> yamlDocuments(Path file) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        try {
            List<Object> documents = new ArrayList<>();
            for (Object document : yaml.loadAll(Files.readString(file))) {
                if (document != null) {
                    documents.add(document);
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one document of a YAML file, as a map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> yamlMap(Path file) {
        List<Object> documents = yamlDocuments(file);
        if (documents.size() != 1 || !(documents.get(0) instanceof Map)) {
            throw new IllegalStateException(file + ": expected one YAML mapping");
        }
        return (Map<String, Object>) documents.get(0);
    }

    /** Every file under {@code folder} whose name ends with one of {@code suffixes}. */
    static List<Path> files(String folder, String... suffixes) {
        try (Stream<Path> walk = Files.walk(path(folder))) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(suffixes).anyMatch(s -> p.toString().endsWith(s)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A class loader over one module's runtime classpath, its {@code target/classes} plus the jars
     * of {@code target/runtime-classpath.txt}: what the module's image holds. Its parent is the
     * platform loader, so nothing of the test classpath leaks in.
     *
     * @throws IllegalStateException naming the build command when the module was not built
     */
    static ClassLoader moduleLoader(String module) {
        return LOADERS.computeIfAbsent(module, Repository::openLoader);
    }

    private static URLClassLoader openLoader(String module) {
        Path target = path(module).resolve("target");
        Path classes = target.resolve("classes");
        Path listing = target.resolve("runtime-classpath.txt");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(listing)) {
            throw new IllegalStateException(
                    "module "
                            + module
                            + ": expected "
                            + classes
                            + " and "
                            + listing
                            + ", found them missing; build with 'mvn -B -pl "
                            + module
                            + " -am package -DskipTests'");
        }
        try {
            List<URL> urls = new ArrayList<>();
            urls.add(classes.toUri().toURL());
            for (String jar : Files.readString(listing).trim().split(java.io.File.pathSeparator)) {
                if (!jar.isBlank()) {
                    urls.add(Path.of(jar).toUri().toURL());
                }
            }
            return new URLClassLoader(
                    "module " + module,
                    urls.toArray(URL[]::new),
                    ClassLoader.getPlatformClassLoader());
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads {@code className} from the module, without initialising it. */
    static Class<?> moduleClass(String module, String className) throws ClassNotFoundException {
        return Class.forName(className, false, moduleLoader(module));
    }

    /** The HTTP paths the module's main sources serve ({@code createContext("/...")}). */
    static Set<String> httpPaths(String module) {
        Set<String> paths = new HashSet<>();
        for (String source : mainSources(module)) {
            Matcher matcher = HTTP_CONTEXT.matcher(source);
            while (matcher.find()) {
                paths.add(matcher.group(1));
            }
        }
        return paths;
    }

    /** Every string literal of the module's main sources. */
    static Set<String> stringLiterals(String module) {
        Set<String> literals = new HashSet<>();
        for (String source : mainSources(module)) {
            Matcher matcher = STRING_LITERAL.matcher(source);
            while (matcher.find()) {
                literals.add(matcher.group(1));
            }
        }
        return literals;
    }

    private static List<String> mainSources(String module) {
        List<String> sources = new ArrayList<>();
        for (Path file : files(module + "/src/main/java", ".java")) {
            try {
                sources.add(Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }

    /** Every project class name in {@code text}. */
    static Set<String> nextlogClasses(String text) {
        Set<String> names = new HashSet<>();
        Matcher matcher = NEXTLOG_CLASS.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        return names;
    }

    /** The map at {@code key}, or an empty one. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String key) {
        if (node instanceof Map<?, ?> map && map.get(key) instanceof Map<?, ?> child) {
            return (Map<String, Object>) child;
        }
        return Map.of();
    }

    /** The list at {@code key}, or an empty one. */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, String key) {
        if (node instanceof Map<?, ?> map && map.get(key) instanceof List<?> child) {
            return (List<Object>) child;
        }
        return List.of();
    }

    /** The text at {@code key}, or null. */
    static String text(Object node, String key) {
        if (node instanceof Map<?, ?> map && map.get(key) != null) {
            return String.valueOf(map.get(key));
        }
        return null;
    }
}
