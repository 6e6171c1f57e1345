package io.nextlog.trainer.release;

import io.nextlog.bundle.BundleReader;
import io.nextlog.bundle.ModelBundle;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ModelStore} in one folder: each version is a sub-folder {@code <root>/<version>}.
 *
 * <p>A bundle is copied into a hidden {@code .<version>.copy-<random>} folder beside its final
 * place, every file and folder is forced to disk, and the folder is then renamed in one atomic
 * step. A reader therefore sees a whole bundle or nothing, and a crash mid-copy leaves only a
 * hidden folder that {@link #removeAbandoned} deletes. This needs a filesystem whose rename within
 * one folder is atomic, as local disks and NFS give; on Kubernetes, a {@code ReadWriteMany} volume
 * mounted read-write in the trainer and read-only in every scorer.
 *
 * <p>Thread-safe for distinct versions; two writers of one version race and one fails.
 */
public final class DirectoryModelStore implements ModelStore {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryModelStore.class);
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final String COPY_MARK = ".copy-";

    private final Path root;

    /**
     * Opens (and creates, if missing) a store folder.
     *
     * @throws IOException if the folder cannot be created
     */
    public DirectoryModelStore(Path root) throws IOException {
        this.root = Files.createDirectories(root.toAbsolutePath());
    }

    @Override
    public URI put(ModelBundle candidate) throws IOException {
        String version = candidate.modelVersion();
        Path target = versionFolder(version);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(
                    target.toString(), null, "model store: version " + version + " is stored");
        }
        Path copy = root.resolve("." + version + COPY_MARK + UUID.randomUUID());
        try {
            copyTree(candidate.directory(), copy);
            syncTree(copy);
            Files.move(copy, target, StandardCopyOption.ATOMIC_MOVE);
            sync(root);
        } catch (IOException | RuntimeException e) {
            deleteTree(copy);
            throw e;
        }
        // A bundle that does not verify in its final place must never be named by a release.
        BundleReader.read(target);
        LOG.info("Stored model {} at {}", version, target);
        return target.toUri();
    }

    @Override
    public Optional<URI> locate(String modelVersion) {
        Path folder = versionFolder(modelVersion);
        return Files.isDirectory(folder) ? Optional.of(folder.toUri()) : Optional.empty();
    }

    @Override
    public int removeAbandoned() throws IOException {
        List<Path> leftovers = new ArrayList<>();
        try (Stream<Path> children = Files.list(root)) {
            children.filter(p -> p.getFileName().toString().startsWith("."))
                    .filter(p -> p.getFileName().toString().contains(COPY_MARK))
                    .forEach(leftovers::add);
        }
        for (Path leftover : leftovers) {
            LOG.warn("Deleting {}, left by an interrupted copy into the model store", leftover);
            deleteTree(leftover);
        }
        return leftovers.size();
    }

    /** Returns the store's folder. */
    public Path root() {
        return root;
    }

    private Path versionFolder(String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException(
                    "model version: expected letters, digits, '.', '_' or '-' (not leading),"
                            + " found '"
                            + version
                            + "'");
        }
        return root.resolve(version);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(from)) {
            sources = walk.sorted().toList();
        }
        for (Path source : sources) {
            Path destination = to.resolve(from.relativize(source).toString());
            if (Files.isDirectory(source)) {
                Files.createDirectories(destination);
            } else {
                Files.copy(source, destination);
            }
        }
    }

    private static void syncTree(Path root) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : paths) {
            sync(path);
        }
    }

    private static void sync(Path path) throws IOException {
        // Linux allows fsync on a folder opened for reading; that makes its new entries durable.
        StandardOpenOption mode =
                Files.isDirectory(path) ? StandardOpenOption.READ : StandardOpenOption.WRITE;
        try (FileChannel channel = FileChannel.open(path, mode)) {
            channel.force(true);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete {}", root, e);
        }
    }
}
