package io.edgefleet.controlplane.models;

import io.edgefleet.quantization.model.ModelSummary;

/** An upload that passed validation: the model's summary and the sample counts. */
public record ValidatedUpload(ModelSummary summary, int calibrationSamples, int evalSamples) {}
