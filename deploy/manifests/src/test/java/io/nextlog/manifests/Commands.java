package io.nextlog.manifests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks that what a manifest runs exists: main classes in the image, flags in the command. */
final class Commands {

    private Commands() {}

    /**
     * Every class in {@code classes} loads from {@code module}'s runtime classpath and has a {@code
     * public static void main(String[])}; every {@code --flag} of {@code words} is one the sources
     * of those classes' modules spell.
     */
    static void assertRunnable(
            String where, String module, Set<String> classes, List<String> words) {
        assertFalse(classes.isEmpty(), where + ": names no io.nextlog main class");
        Set<String> literals = new HashSet<>();
        for (String name : classes) {
            assertMain(where, module, name);
            literals.addAll(Repository.stringLiterals(sourceModule(where, name)));
        }
        for (String word : words) {
            if (!word.startsWith("--") || word.length() < 3) {
                continue;
            }
            String flag = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
            assertTrue(
                    literals.contains(flag) || literals.contains(flag.substring(2)),
                    where + ": flag " + flag + " is unknown to " + classes);
        }
    }

    static void assertMain(String where, String module, String className) {
        try {
            Class<?> type = Repository.moduleClass(module, className);
            Method main = type.getMethod("main", String[].class);
            assertTrue(Modifier.isStatic(main.getModifiers()), where + ": " + className);
            assertEquals(void.class, main.getReturnType(), where + ": " + className);
        } catch (ClassNotFoundException e) {
            fail(
                    where
                            + ": expected "
                            + className
                            + " on the classpath of "
                            + module
                            + ", not found");
        } catch (NoSuchMethodException e) {
            fail(where + ": expected " + className + ".main(String[]), found none");
        }
    }

    /** The module folder whose main sources hold {@code className}. */
    static String sourceModule(String where, String className) {
        String file = "src/main/java/" + className.replace('.', '/') + ".java";
        for (String module : Images.modules().values()) {
            if (Files.isRegularFile(Repository.path(module).resolve(file))) {
                return module;
            }
        }
        for (String module : List.of("schemas/contracts", "schemas/model-bundle")) {
            if (Files.isRegularFile(Repository.path(module).resolve(file))) {
                return module;
            }
        }
        throw new AssertionError(where + ": no module has the source " + Path.of(file));
    }
}
