package io.nextlog.trainer.follow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What follow mode has consumed, stored as {@value #FILE} in each released bundle's checkpoint
 * folder beside the weights: a bundle and the consumer offsets committed with its release describe
 * the same examples.
 *
 * <p>{@code consumed} and {@code consumedDigest} cover every example read in this bundle's lineage
 * (trained, held out or skipped): the digest is the wrapping sum of a 64-bit hash of each example
 * id, so it does not depend on order, and a skipped or repeated example changes it.
 *
 * @param format this file's format version
 * @param consumed examples read in the lineage
 * @param consumedDigest order-free digest of their ids
 * @param trainedPositives positive examples trained on
 * @param trainedNegatives negative examples trained on
 * @param heldOut positive examples kept out of training for validation
 * @param skipped examples not trained for a reason (no free vocabulary slot, unknown label)
 * @param replayOffered positives offered to the replay buffer
 * @param offsets the next offset to read per partition of {@code training-examples}, as committed
 *     with the release
 */
public record FollowState(
        int format,
        long consumed,
        long consumedDigest,
        long trainedPositives,
        long trainedNegatives,
        long heldOut,
        long skipped,
        long replayOffered,
        Map<Integer, Long> offsets) {

    /** The file name inside the checkpoint folder. */
    public static final String FILE = "follow-state.json";

    /** The held-out examples file inside the checkpoint folder. */
    public static final String HOLDOUT_FILE = "holdout.avro";

    /** The replay buffer file inside the checkpoint folder. */
    public static final String REPLAY_FILE = "replay.avro";

    static final int CURRENT_FORMAT = 1;

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Copies the offsets into partition order. */
    public FollowState {
        offsets = Map.copyOf(new TreeMap<>(offsets == null ? Map.of() : offsets));
    }

    /** The state of a bundle no follower has trained yet. */
    static FollowState empty() {
        return new FollowState(CURRENT_FORMAT, 0, 0, 0, 0, 0, 0, 0, Map.of());
    }

    /** Reads the state of a bundle's checkpoint folder; empty if the bundle has none. */
    public static FollowState read(Path checkpointDir) throws IOException {
        Path file = checkpointDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return empty();
        }
        return MAPPER.readValue(file.toFile(), FollowState.class);
    }

    void writeTo(Path checkpointDir) throws IOException {
        MAPPER.writeValue(checkpointDir.resolve(FILE).toFile(), this);
    }

    /** The digest term of one example id: FNV-1a 64 of its UTF-8 bytes, finalised. */
    public static long digestOf(String exampleId) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : exampleId.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        return hash;
    }
}
