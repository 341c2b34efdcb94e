package io.edgefleet.controlplane.analysis;

import io.edgefleet.controlplane.profiles.PlanExplanation;
import java.util.Map;

/**
 * {@code GET /api/models/{id}/plans}: the plan the platform would choose for a hardware class under the given SLOs.
 *
 * @param mode {@code FULL_INT8}, {@code FLOAT16} or {@code MIXED}
 * @param layerPrecisions layerId → precision key (MIXED only; empty for uniform modes)
 * @param buildKey the build key this plan would have for this model
 */
public record PlanView(String modelId, String hardwareClass, String mode, String planHash, String buildKey,
    Map<String, String> layerPrecisions, String rationale, PlanExplanation explanation) {}
