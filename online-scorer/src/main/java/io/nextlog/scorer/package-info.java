/**
 * The online scorer: journeys in, ranked and explained recommendations per channel out, with the
 * model that is live right now.
 *
 * <p>Packages: {@link io.nextlog.scorer.Scorer} is the batch API the Flink job and the service
 * share; {@code model} loads, checks and reference-counts models in named slots; {@code release}
 * applies the {@code model-releases} log; {@code catalog} holds channel eligibility from {@code
 * catalog-items}; {@code reason} turns attribution into reasons; {@code arm} assigns users to
 * experiment arms; {@code onnx} creates ONNX Runtime sessions; {@code config} lists every option;
 * {@code topic} follows Kafka topics; {@code http} is the service only.
 *
 * <p>Threading model of the service: a pool of HTTP handler threads parses and validates requests
 * and queues them in a bounded queue; one batching thread coalesces them (up to {@code
 * scorer.batch.max-size}, waiting at most {@code scorer.batch.max-wait}) and runs each batch as one
 * forward pass per model, ONNX Runtime's intra-op pool parallelising inside it; the handler thread
 * waits for its result until the request's deadline. One follower thread per topic applies releases
 * and catalog changes; a bundle loads and warms up on the release thread while the current model
 * keeps serving, and the swap is a volatile write. A batch leases its model for its whole pass, and
 * a model's session closes when its last lease and slot let go of it.
 */
package io.nextlog.scorer;
