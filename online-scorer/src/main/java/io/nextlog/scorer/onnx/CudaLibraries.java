package io.nextlog.scorer.onnx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Names the CUDA libraries the dynamic linker cannot find, so that a CUDA provider that fails to
 * load says which ones. ONNX Runtime's exception only says "Failed to load shared library"; the
 * library it missed goes to its native log on stderr, not into the exception.
 *
 * <p>It looks where the linker looks for a bare name: the directories of {@code LD_LIBRARY_PATH},
 * the linker cache ({@code /etc/ld.so.cache}, searched for the name) and the usual library and CUDA
 * directories. A heuristic, not a load: a library found may still fail (a wrong version of one of
 * its own dependencies, no device), and then the list is empty and ONNX Runtime's message is all
 * there is. Linux only; elsewhere it finds nothing missing.
 */
final class CudaLibraries {

    /**
     * What {@code libonnxruntime_providers_cuda.so} of ONNX Runtime 1.23 links against besides the
     * C and C++ runtime (its ELF NEEDED entries): CUDA 12 and cuDNN 9.
     */
    static final List<String> NEEDED =
            List.of(
                    "libcudart.so.12",
                    "libcublas.so.12",
                    "libcublasLt.so.12",
                    "libcufft.so.11",
                    "libcurand.so.10",
                    "libcudnn.so.9");

    private static final Path LINKER_CACHE = Path.of("/etc/ld.so.cache");
    private static final List<Path> USUAL_DIRECTORIES =
            List.of(
                    Path.of("/usr/local/cuda/lib64"),
                    Path.of("/usr/lib/x86_64-linux-gnu"),
                    Path.of("/usr/lib/aarch64-linux-gnu"),
                    Path.of("/usr/lib64"),
                    Path.of("/usr/lib"),
                    Path.of("/lib64"),
                    Path.of("/lib"));

    private CudaLibraries() {}

    /** Returns the {@link #NEEDED} libraries this machine's linker would not find, in order. */
    static List<String> missingHere() {
        if (!System.getProperty("os.name", "").toLowerCase().startsWith("linux")) {
            return List.of();
        }
        return missing(System.getenv("LD_LIBRARY_PATH"), LINKER_CACHE, USUAL_DIRECTORIES);
    }

    /**
     * Returns the {@link #NEEDED} libraries found neither in a directory of {@code ldLibraryPath},
     * nor by name in {@code linkerCache}, nor in {@code usualDirectories}.
     *
     * @param ldLibraryPath colon-separated directories; null or empty for none
     * @param linkerCache the linker's cache file; a missing or unreadable one counts as empty
     */
    static List<String> missing(
            @Nullable String ldLibraryPath, Path linkerCache, List<Path> usualDirectories) {
        List<Path> directories = new ArrayList<>();
        if (ldLibraryPath != null) {
            for (String entry : ldLibraryPath.split(":")) {
                if (!entry.isBlank()) {
                    directories.add(Path.of(entry));
                }
            }
        }
        directories.addAll(usualDirectories);
        String cache = readLatin1(linkerCache);

        List<String> missing = new ArrayList<>();
        for (String library : NEEDED) {
            if (!cache.contains(library + '\0') && !inAny(directories, library)) {
                missing.add(library);
            }
        }
        return missing;
    }

    private static boolean inAny(List<Path> directories, String library) {
        for (Path directory : directories) {
            if (Files.exists(directory.resolve(library))) {
                return true;
            }
        }
        return false;
    }

    /** The cache is binary; its library names are NUL-terminated ASCII strings. */
    private static String readLatin1(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException e) {
            return "";
        }
    }
}
