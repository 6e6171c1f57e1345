package io.nextlog.schemas;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Channel apps depend on the contracts, so the contracts must never bring Flink, Kafka Streams or
 * RocksDB (both Flink and Kafka Streams ship {@code org.rocksdb}; whichever comes first on a
 * classpath silently wins). The Maven enforcer bans the jars; this checks the code.
 */
@AnalyzeClasses(
        packages = "io.nextlog.schemas",
        importOptions = ImportOption.DoNotIncludeTests.class)
class ContractsArchitectureTest {

    @ArchTest
    static final ArchRule contractsStayClientSide =
            noClasses()
                    .that()
                    .resideInAPackage("io.nextlog.schemas..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "org.apache.flink..",
                            "org.apache.kafka.streams..",
                            "org.rocksdb..",
                            "io.nextlog.infra..");

    @ArchTest
    static final ArchRule contractsKnowNothingDownstream =
            noClasses()
                    .that()
                    .resideInAPackage("io.nextlog.schemas..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(
                            "io.nextlog.ingest..",
                            "io.nextlog.scorer..",
                            "io.nextlog.feedback..",
                            "io.nextlog.trainer..");
}
