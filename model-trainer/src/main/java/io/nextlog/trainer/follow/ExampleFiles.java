package io.nextlog.trainer.follow;

import io.nextlog.schemas.event.TrainingExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/** Reads and writes lists of training examples as Avro data files in a bundle's checkpoint. */
final class ExampleFiles {

    private ExampleFiles() {}

    static void write(Path file, List<TrainingExample> examples) throws IOException {
        try (DataFileWriter<TrainingExample> writer =
                new DataFileWriter<>(new SpecificDatumWriter<>(TrainingExample.class))) {
            writer.create(TrainingExample.getClassSchema(), file.toFile());
            for (TrainingExample example : examples) {
                writer.append(example);
            }
        }
    }

    /** Returns the examples of a file, or none if it does not exist. */
    static List<TrainingExample> read(Path file) throws IOException {
        List<TrainingExample> examples = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return examples;
        }
        try (DataFileReader<TrainingExample> reader =
                new DataFileReader<>(
                        file.toFile(), new SpecificDatumReader<>(TrainingExample.class))) {
            for (TrainingExample example : reader) {
                examples.add(example);
            }
        }
        return examples;
    }
}
