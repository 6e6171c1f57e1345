package io.nextlog.trainer.release;

import io.nextlog.bundle.ModelBundle;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * Where released bundles live, readable by every scorer. A bundle enters the store whole or not at
 * all, and never changes once there: a scorer that reads a version named by a release finds the
 * files the release's sha256 describes.
 *
 * <p>{@link DirectoryModelStore}, a folder shared by trainer and scorers, is the first
 * implementation; an object store would be another.
 */
public interface ModelStore {

    /**
     * Copies a validated candidate bundle into the store under its model version.
     *
     * @param candidate a complete bundle outside the store
     * @return the bundle's URI in the store, as releases name it
     * @throws java.nio.file.FileAlreadyExistsException if the store holds that version already
     * @throws IOException if the copy fails; the store is then as it was
     */
    URI put(ModelBundle candidate) throws IOException;

    /** Returns the URI of a stored version, or empty if the store does not hold it. */
    Optional<URI> locate(String modelVersion);

    /**
     * Deletes what interrupted copies left behind; they were never visible under a version.
     *
     * @return the number of leftovers deleted
     */
    int removeAbandoned() throws IOException;
}
