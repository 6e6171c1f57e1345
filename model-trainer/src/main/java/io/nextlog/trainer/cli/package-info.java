/**
 * The trainer command ({@link io.nextlog.trainer.cli.TrainerCommand}): train, evaluate, export,
 * inspect and the training-throughput bench; see the module's README for the commands.
 */
package io.nextlog.trainer.cli;
