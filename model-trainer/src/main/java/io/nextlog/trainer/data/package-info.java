/**
 * The trainer's inputs: journey files (through the synthetic world's reader) and MovieLens-style
 * ratings files, both read into {@link io.nextlog.trainer.data.UserSequence}s. A malformed line
 * stops the read with a {@link io.nextlog.trainer.data.DataFormatException} naming file and line.
 */
package io.nextlog.trainer.data;
