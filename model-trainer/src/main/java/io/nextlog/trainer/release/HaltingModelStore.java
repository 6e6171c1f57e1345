package io.nextlog.trainer.release;

import io.nextlog.bundle.ModelBundle;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * Fault injection for crash tests: a store that halts the JVM right after a candidate is stored,
 * before its release is committed. {@link Runtime#halt} runs no shutdown hook and no {@code
 * finally} block, leaves the Kafka transaction neither committed nor aborted and the consumer
 * offsets uncommitted, as a power cut or {@code kill -9} at that instant would.
 *
 * <p>Only {@code follow} wraps its store in one, and only when started with {@code
 * -Dnextlog.follow.halt-after-store=true}.
 */
public final class HaltingModelStore implements ModelStore {

    /** The system property that asks for the halt. */
    public static final String PROPERTY = "nextlog.follow.halt-after-store";

    /** The exit status of a halted process. */
    public static final int HALT_STATUS = 99;

    private final ModelStore store;

    private HaltingModelStore(ModelStore store) {
        this.store = store;
    }

    /** Returns {@code store}, wrapped in a halting one if {@link #PROPERTY} is {@code true}. */
    public static ModelStore wrapIfAsked(ModelStore store) {
        return Boolean.getBoolean(PROPERTY) ? new HaltingModelStore(store) : store;
    }

    @Override
    public URI put(ModelBundle candidate) throws IOException {
        URI uri = store.put(candidate);
        System.err.println(
                "halting after storing " + candidate.modelVersion() + " (" + PROPERTY + ")");
        System.err.flush();
        Runtime.getRuntime().halt(HALT_STATUS);
        return uri;
    }

    @Override
    public Optional<URI> locate(String modelVersion) {
        return store.locate(modelVersion);
    }

    @Override
    public int removeAbandoned() throws IOException {
        return store.removeAbandoned();
    }
}
