package io.edgefleet.controlplane.models;

/** Lifecycle of a model's measured analysis. */
public enum AnalysisStatus {
  /** Requested from the worker group; no answer yet. Rollouts of the model are refused until it is READY. */
  PENDING,
  /** The per-layer table is stored; the planner can plan builds of the model. */
  READY,
  /** A worker could not analyse the model ({@code analysisErrorCode}/{@code analysisErrorMessage}). */
  FAILED
}
