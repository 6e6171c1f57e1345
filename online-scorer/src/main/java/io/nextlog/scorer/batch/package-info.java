/**
 * Batching for the scorer: {@link io.nextlog.scorer.batch.RequestCoalescer} turns requests that
 * arrive one at a time, from HTTP handlers or the Flink job's Async I/O, into forward passes of
 * many journeys, with a bounded queue and a deadline per request.
 */
package io.nextlog.scorer.batch;
