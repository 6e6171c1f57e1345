package io.nextlog.bundle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.nextlog.tokenize.Vocabulary;
import java.util.List;

/** The JSON mapping of manifest and vocabulary files. */
final class BundleJson {

    /** Times as ISO-8601 text, maps in key order, indented: bundles are read by people too. */
    static final ObjectMapper MAPPER =
            JsonMapper.builder()
                    .addModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .build();

    private BundleJson() {}

    /** The stored form of a {@link Vocabulary}: its size and its items in id order. */
    record VocabularyFile(int size, int firstItemId, List<String> items) {

        static VocabularyFile of(Vocabulary vocabulary) {
            return new VocabularyFile(
                    vocabulary.size(), Vocabulary.FIRST_ITEM_ID, vocabulary.items());
        }
    }
}
