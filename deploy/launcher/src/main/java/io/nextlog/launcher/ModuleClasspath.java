package io.nextlog.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The runtime classpath of one module of the source tree: its {@code target/classes} plus the jars
 * listed in {@code target/runtime-classpath.txt}, which the build writes at {@code package}. Each
 * service gets only its own module's classpath, so Flink's and Kafka Streams' RocksDB never meet in
 * one JVM.
 */
final class ModuleClasspath {

    private ModuleClasspath() {}

    static String of(Path home, String module) {
        Path target = home.resolve(module).resolve("target");
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
                            + ", found them missing; build first with"
                            + " 'mvn -B install -DskipTests'");
        }
        try {
            String jars = Files.readString(listing).trim();
            return jars.isEmpty()
                    ? classes.toString()
                    : classes + java.io.File.pathSeparator + jars;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + listing, e);
        }
    }
}
