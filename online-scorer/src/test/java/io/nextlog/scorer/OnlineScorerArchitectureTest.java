package io.nextlog.scorer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The scorer serves bundles; it never reaches into the trainer (or DJL), Flink or Kafka Streams.
 * The Maven enforcer bans the jars; this checks the code. The library packages also stay free of
 * the HTTP service, so the Flink job can use them without it.
 */
@AnalyzeClasses(
        packages = "io.nextlog.scorer",
        importOptions = ImportOption.DoNotIncludeTests.class)
class OnlineScorerArchitectureTest {

    @ArchTest
    static final ArchRule scorerStaysIndependent =
            noClasses()
                    .that()
                    .resideInAPackage("io.nextlog.scorer..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "io.nextlog.trainer..",
                            "ai.djl..",
                            "org.apache.flink..",
                            "org.apache.kafka.streams..",
                            "io.nextlog.infra..");

    @ArchTest
    static final ArchRule libraryKnowsNothingOfHttp =
            noClasses()
                    .that()
                    .resideInAnyPackage(
                            "io.nextlog.scorer.model..",
                            "io.nextlog.scorer.arm..",
                            "io.nextlog.scorer.catalog..",
                            "io.nextlog.scorer.reason..",
                            "io.nextlog.scorer.release..",
                            "io.nextlog.scorer.onnx..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage("io.nextlog.scorer.http..", "com.sun.net.httpserver..");
}
