/**
 * How a journey becomes model input, written once for the trainer and every scorer.
 *
 * <p>A journey is a list of {@link io.nextlog.schemas.event.JourneyStep}s, oldest first. {@link
 * io.nextlog.tokenize.JourneyTokenizer} turns journeys into three aligned id tensors (items,
 * domains, time-gap buckets), each of shape (B, T) with the newest event in the last column and
 * padding on the left. Nothing here depends on a tensor library.
 */
package io.nextlog.tokenize;
