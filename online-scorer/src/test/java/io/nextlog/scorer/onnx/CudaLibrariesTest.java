package io.nextlog.scorer.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CudaLibrariesTest {

    @TempDir Path dir;

    @Test
    void shouldNameEveryLibraryWhenNoneIsAnywhere() {
        List<String> missing =
                CudaLibraries.missing(null, dir.resolve("no-such-cache"), List.of(dir));

        assertEquals(CudaLibraries.NEEDED, missing);
    }

    @Test
    void shouldFindLibrariesOnTheLibraryPathAndInTheLinkerCache() throws Exception {
        Path cuda = Files.createDirectory(dir.resolve("cuda"));
        Files.createFile(cuda.resolve("libcudart.so.12"));
        Files.createFile(cuda.resolve("libcublas.so.12"));
        Path cache = dir.resolve("ld.so.cache");
        // Names in the binary cache are NUL-terminated; a longer name must not count.
        byte[] entries = "\0libcudnn.so.9\0libcufft.so.11.2\0".getBytes(StandardCharsets.US_ASCII);
        Files.write(cache, entries);

        List<String> missing =
                CudaLibraries.missing("/nowhere::" + cuda, cache, List.of(dir.resolve("none")));

        assertEquals(List.of("libcublasLt.so.12", "libcufft.so.11", "libcurand.so.10"), missing);
    }
}
