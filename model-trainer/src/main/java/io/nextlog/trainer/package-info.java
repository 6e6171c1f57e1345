/**
 * The next-log GPT in DJL on PyTorch: the network ({@link io.nextlog.trainer.NextLogGpt}), its
 * training step ({@link io.nextlog.trainer.GptTrainer}), whole training runs with early stopping
 * ({@link io.nextlog.trainer.TrainingRun}), the ONNX export from the trained weights ({@link
 * io.nextlog.trainer.GptOnnxExporter}) and the bundle it writes. Sub-packages: {@code data} reads
 * journey and ratings files, {@code eval} holds the SASRec leave-one-out protocol and its metrics,
 * {@code cli} the trainer command.
 *
 * <p>Shape legend used throughout: B batch, T time steps (events), C embedding width, H heads, D =
 * C/H head width, V item vocabulary, M MLP width.
 *
 * <p>DJL runs with {@code ai.djl.offline=true}: the PyTorch natives come from the {@code
 * pytorch-native-*} jar on the class path and are extracted to {@code ~/.djl.ai} (or {@code
 * DJL_CACHE_DIR}), never downloaded.
 */
package io.nextlog.trainer;
