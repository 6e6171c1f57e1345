/**
 * The model bundle: everything a trained next-log model needs to be served and fine-tuned, in one
 * directory written atomically and verified by sha256 on read.
 *
 * <pre>
 * bundle-dir/
 *   manifest.json     version, parent, created, data span, config, seed, metrics, signature,
 *                     sha256 of every other file
 *   model.onnx        the inference graph (see {@link io.nextlog.bundle.GraphSignature})
 *   vocabulary.json   the item vocabulary (see {@link io.nextlog.tokenize.Vocabulary})
 *   checkpoint/       the trainer's own files (parameters, optimizer state); opaque here
 * </pre>
 *
 * <p>Readers use {@link io.nextlog.bundle.BundleReader}; the trainer writes with {@link
 * io.nextlog.bundle.BundleWriter}. Nothing here depends on DJL or ONNX Runtime.
 */
package io.nextlog.bundle;
