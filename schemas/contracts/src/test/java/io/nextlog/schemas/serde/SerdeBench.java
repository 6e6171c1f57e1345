package io.nextlog.schemas.serde;

import io.nextlog.infra.LocalRegistry;
import io.nextlog.schemas.event.BehaviorEvent;
import io.nextlog.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Bench command, not a test: serialize + deserialize throughput of the registry serde against plain
 * Avro binary of the same records, side by side in one run, once schemas are cached (the registry
 * is a real Apicurio started for the run).
 *
 * <pre>
 * mvn -B -q -pl schemas/contracts -am install -DskipTests
 * mvn -B -q -pl schemas/contracts exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.nextlog.schemas.serde.SerdeBench [-Dexec.args="ROUNDS EVENTS"]
 * </pre>
 *
 * <p>Rounds alternate baseline and serde so machine noise hits both; the report gives each side's
 * median events/s and the ratio of medians (goal ≥ 0.9).
 */
public final class SerdeBench {

    private SerdeBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        List<BehaviorEvent> events = TestEvents.behaviorEvents(count);
        try (LocalRegistry registry = LocalRegistry.start()) {
            SchemaRegistryClient client = new SchemaRegistryClient(registry.confluentUrl());
            RegistryAvroSerializer<BehaviorEvent> serializer =
                    new RegistryAvroSerializer<>(client, true);
            RegistryAvroDeserializer<BehaviorEvent> deserializer =
                    new RegistryAvroDeserializer<>(client, BehaviorEvent.class);
            PlainAvro plain = new PlainAvro();

            List<Double> baseline = new ArrayList<>();
            List<Double> serde = new ArrayList<>();
            for (int round = -3; round < rounds; round++) { // 3 warm-up rounds
                RoundTrip serdeTrip =
                        e ->
                                deserializer.deserialize(
                                        "behavior-events",
                                        serializer.serialize("behavior-events", e));
                // alternate which side runs first so drift in machine load hits both
                double plainRate;
                double serdeRate;
                if ((round & 1) == 0) {
                    plainRate = eventsPerSecond(events, plain::roundTrip);
                    serdeRate = eventsPerSecond(events, serdeTrip);
                } else {
                    serdeRate = eventsPerSecond(events, serdeTrip);
                    plainRate = eventsPerSecond(events, plain::roundTrip);
                }
                if (round >= 0) {
                    baseline.add(plainRate);
                    serde.add(serdeRate);
                    System.out.printf(
                            "round %2d  plain avro %,12.0f ev/s   registry serde %,12.0f ev/s%n",
                            round, plainRate, serdeRate);
                }
            }
            double plainMedian = median(baseline);
            double serdeMedian = median(serde);
            System.out.printf(
                    "median    plain avro %,12.0f ev/s   registry serde %,12.0f ev/s   ratio %.3f"
                            + " (goal >= 0.9)%n",
                    plainMedian, serdeMedian, serdeMedian / plainMedian);
        }
    }

    private interface RoundTrip {
        BehaviorEvent apply(BehaviorEvent event) throws IOException;
    }

    private static double eventsPerSecond(List<BehaviorEvent> events, RoundTrip roundTrip)
            throws IOException {
        long checksum = 0;
        long start = System.nanoTime();
        for (BehaviorEvent event : events) {
            checksum += roundTrip.apply(event).getItem().length();
        }
        long elapsed = System.nanoTime() - start;
        if (checksum == 42) {
            System.out.println(); // keeps the loop's result alive
        }
        return events.size() / (elapsed / 1e9);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1
                ? sorted.get(mid)
                : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    /** The baseline: the same records as plain Avro binary, no framing, no registry. */
    private static final class PlainAvro {
        private final SpecificDatumWriter<BehaviorEvent> writer =
                new SpecificDatumWriter<>(BehaviorEvent.class);
        private final SpecificDatumReader<BehaviorEvent> reader =
                new SpecificDatumReader<>(BehaviorEvent.class);

        BehaviorEvent roundTrip(BehaviorEvent event) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(event, encoder);
            encoder.flush();
            byte[] bytes = out.toByteArray();
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
            return reader.read(null, decoder);
        }
    }
}
