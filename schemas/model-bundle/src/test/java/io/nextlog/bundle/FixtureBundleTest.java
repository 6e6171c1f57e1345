package io.nextlog.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.nextlog.schemas.event.Domain;
import io.nextlog.schemas.event.JourneyStep;
import io.nextlog.tokenize.TokenBatch;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bundles written by earlier versions stay readable: the format-1 fixture, written by the trainer's
 * {@code FixtureBundles}, is read and verified here without DJL or ONNX Runtime.
 */
class FixtureBundleTest {

    @Test
    void shouldReadFormat1Fixture() throws Exception {
        ModelBundle bundle = BundleReader.read(fixture("bundles/format-1-tiny"));

        bundle.requireSignature(GraphSignature.NEXT_LOG_V1);
        assertEquals("fixture-format-1", bundle.modelVersion());
        assertNull(bundle.manifest().provenance().parentVersion());
        assertEquals(12, bundle.vocabulary().size());
        assertEquals(4, bundle.vocabulary().freeSlots());
        assertEquals(6, bundle.config().tokenizer().maxLength());
    }

    @Test
    void shouldTokenizeWithFixtureVocabulary() throws Exception {
        ModelBundle bundle = BundleReader.read(fixture("bundles/format-1-tiny"));
        String known = bundle.vocabulary().items().get(0);
        Instant time = Instant.parse("2025-01-01T00:00:00Z");

        TokenBatch batch =
                bundle.tokenizer()
                        .tokenize(List.of(List.of(new JourneyStep(known, Domain.CALL, time))));

        assertEquals(6, batch.timeSteps());
        assertEquals(2, batch.itemIds()[5]);
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(FixtureBundleTest.class.getClassLoader().getResource(name).toURI());
    }
}
