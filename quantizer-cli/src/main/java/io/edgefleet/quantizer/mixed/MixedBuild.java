package io.edgefleet.quantizer.mixed;

import io.edgefleet.quantization.quantize.QuantizedModel;

/**
 * A plan together with its built model.
 *
 * @param plan the plan that was built (after any budget tightening)
 * @param model the built, runtime-verified model
 * @param rounds planning rounds needed: 1 when the first plan's real size met the budget; each further round
 *     re-planned with the budget reduced by the observed excess
 */
public record MixedBuild(MixedPlan plan, QuantizedModel model, int rounds) {
}
