package io.nextlog.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nextlog.schemas.topic.TopicCatalog;
import io.nextlog.schemas.topic.TopicSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * Keeps golden copies of the released value schemas ({@code src/test/resources/golden-schemas}) and
 * fails on a change that is not BACKWARD compatible: a reader with today's schema must read every
 * record written with a released one. To release a new version, make the change compatible, then
 * replace the golden copy with the new schema.
 */
class SchemaEvolutionTest {

    @Test
    void shouldReadEveryReleasedSchemaWithTheCurrentOne() throws IOException {
        for (Schema current : valueSchemas()) {
            Schema golden = golden(current.getName());
            SchemaCompatibility.SchemaPairCompatibility result =
                    SchemaCompatibility.checkReaderWriterCompatibility(current, golden);
            assertEquals(
                    SchemaCompatibilityType.COMPATIBLE,
                    result.getType(),
                    current.getFullName()
                            + " is not BACKWARD compatible with its released version: "
                            + result.getResult().getIncompatibilities());
        }
    }

    @Test
    void shouldRefuseARequiredFieldWithoutDefault() throws IOException {
        Schema golden = golden("BehaviorEvent");
        String changed =
                golden.toString()
                        .replace(
                                "\"fields\":[",
                                "\"fields\":[{\"name\":\"msisdn\",\"type\":\"string\"},");
        Schema breaking = new Schema.Parser().parse(changed);

        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(breaking, golden);

        assertNotEquals(SchemaCompatibilityType.COMPATIBLE, result.getType());
    }

    @Test
    void shouldMapUnknownDomainSymbolsToUnknown() {
        Schema domain = golden("BehaviorEvent").getField("domain").schema();
        assertEquals("UNKNOWN", domain.getEnumDefault());
    }

    private static Set<Schema> valueSchemas() {
        Set<Schema> schemas = new LinkedHashSet<>();
        for (TopicSpec spec : TopicCatalog.local().all()) {
            schemas.add(spec.valueSchema());
        }
        assertTrue(schemas.size() >= 10, "expected every value schema, found " + schemas.size());
        return schemas;
    }

    private static Schema golden(String name) {
        String path = "/golden-schemas/" + name + ".avsc";
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new AssertionError(
                        "no golden copy of "
                                + name
                                + " at src/test/resources"
                                + path
                                + "; add the released schema there");
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new AssertionError("could not read " + path, e);
        }
    }
}
