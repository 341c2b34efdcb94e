package io.edgefleet.agent.assignment;

import io.edgefleet.agent.AgentException;
import io.edgefleet.agent.inference.SmokeResult;
import io.edgefleet.agent.slots.SlotManifest;

/** What became of one attempt to install an assigned build. */
public sealed interface InstallOutcome
    permits InstallOutcome.Installed, InstallOutcome.Retry, InstallOutcome.Failed {

  /** The build passed the smoke test and is now active and served. */
  record Installed(SlotManifest slot, SmokeResult smoke) implements InstallOutcome {}

  /** A transient failure (network, expired URL); partial downloads are kept and the agent retries later. */
  record Retry(AgentException cause) implements InstallOutcome {}

  /** The build is rejected (FAILED reported); the previously active model keeps serving. */
  record Failed(AgentException cause) implements InstallOutcome {}
}
