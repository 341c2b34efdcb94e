package io.edgefleet.agent.health;

/**
 * Inferences the serving loop ran on its current model since that model was activated (warm-up included).
 *
 * @param failures exceptions or non-finite outputs
 */
public record ActivationHealth(String buildKey, long attempts, long failures) {}
