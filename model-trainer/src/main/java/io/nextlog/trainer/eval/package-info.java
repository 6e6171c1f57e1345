/**
 * The SASRec paper's evaluation protocol: the leave-one-out split ({@link
 * io.nextlog.trainer.eval.LeaveOneOutSplit}), ranking against 100 sampled negatives and against all
 * items ({@link io.nextlog.trainer.eval.LeaveOneOutEvaluator}), HR@10 and NDCG@10 ({@link
 * io.nextlog.trainer.eval.RankingMetrics}) and the most-popular baseline. Knows nothing of the
 * network: anything that implements {@link io.nextlog.trainer.eval.Scorer} can be ranked.
 */
package io.nextlog.trainer.eval;
