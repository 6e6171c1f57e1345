package io.nextlog.bundle;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The scorer uses this module without the trainer, so it must stay free of tensor engines. */
class ModelBundleDependencyTest {

    @Test
    void shouldNotDependOnDjlOrOnnxRuntimeOrTrainer() {
        JavaClasses classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.nextlog.bundle", "io.nextlog.tokenize");

        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("ai.djl..", "ai.onnxruntime..", "io.nextlog.trainer..")
                .check(classes);
    }
}
