package io.edgefleet.schemas.events;

/** Build lifecycle: requested by the control plane, completed or failed by a quantizer worker. */
public sealed interface BuildEvent extends FleetEvent permits BuildRequested, BuildCompleted, BuildFailed {

  /** sha256(modelSha256 + ":" + planHash), hex. */
  String buildKey();

  @Override
  default String key() {
    return buildKey();
  }
}
