package io.edgefleet.agent.inference;

/**
 * Outcome of an install smoke test.
 *
 * @param samples evaluation samples run
 * @param top1Accuracy share of labelled samples classified correctly (NaN without labels)
 * @param agreement share of samples whose top-1 equals the float reference's (NaN without reference)
 * @param requiredAgreement the bound {@code 1 - maxAccuracyDrop} (NaN without reference)
 */
public record SmokeResult(int samples, double top1Accuracy, double agreement, double requiredAgreement) {}
