/**
 * The nextlog ingest job on Flink: {@link io.nextlog.ingest.IngestJob} builds it, {@link
 * io.nextlog.ingest.IngestConfig} lists every option.
 *
 * <p>Decisions, and why:
 *
 * <ul>
 *   <li><b>Releases</b> reach the job through each scoring subtask's own scorer, which follows
 *       {@code model-releases} exactly as the scorer services do, not through a broadcast stream:
 *       the job and every service apply the same releases in the same sequence order with the same
 *       code, a rollback is just one more release, and no model lives in Flink state.
 *   <li><b>ONNX Runtime</b> loads its native library once per JVM. On a cluster its jar goes in
 *       Flink's {@code lib/} (the job marks {@code ai.onnxruntime.} parent-first), never in the job
 *       jar: a job class loader would load the library again after a restart, which JNI refuses.
 *       Each scoring subtask's session gets one intra-op thread.
 *   <li><b>State</b> is Flink POJOs and Avro records only, generic types disabled, so no Kryo ever
 *       writes a savepoint. The journey is a map state ordered by event time (see {@link
 *       io.nextlog.ingest.JourneyFunction}); the contact policy keeps small maps per user.
 *   <li><b>Delivery</b>: one Kafka sink writes every output topic, exactly-once (one transaction
 *       per subtask and checkpoint, visible to read-committed readers at each checkpoint) or
 *       at-least-once with idempotent keys (the compacted recommendation topics keep the latest per
 *       user).
 * </ul>
 *
 * <p><b>Size of {@code recommendation-context}</b>: one record per published recommendation,
 * holding the journey as the model saw it (at most the model's max length) plus ids. A step is
 * about 20-30 bytes of Avro (item id, domain, time), so at max length 200 a context is about 5 KB.
 * At 16 million users with, say, 4 recommendations a day each, that is about 320 GB a day on the
 * topic before compression, kept 7 days; a reference the trainer resolves against a journey store
 * would cut it to about 150 bytes a record, but nextlog has no such store yet.
 */
package io.nextlog.ingest;
