package io.edgefleet.controlplane.devices;

import io.edgefleet.controlplane.builds.Build;
import io.edgefleet.controlplane.builds.BuildStatus;
import io.edgefleet.controlplane.config.EdgefleetConfig;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.controlplane.messaging.EventPublisher;
import io.edgefleet.controlplane.models.Model;
import io.edgefleet.controlplane.storage.ObjectStorage;
import io.edgefleet.schemas.api.DeviceAssignment;
import io.edgefleet.schemas.events.DesiredState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;

/**
 * Per-device desired state: persisted in PostgreSQL, published to the compacted desired-state topic, and served to
 * polling devices with freshly presigned download URLs.
 */
@ApplicationScoped
public class AssignmentService {
  private final EventPublisher publisher;
  private final ObjectStorage storage;
  private final EdgefleetConfig config;
  private final Clock clock = Clock.systemUTC();

  public AssignmentService(EventPublisher publisher, ObjectStorage storage, EdgefleetConfig config) {
    this.publisher = publisher;
    this.storage = storage;
    this.config = config;
  }

  /** Assigns a completed build to a device: revision + 1, stored, then published. Returns the new revision. */
  @Transactional(Transactional.TxType.MANDATORY)
  public long assign(String deviceId, String rolloutId, Build build, double maxAccuracyDrop) {
    if (build.status != BuildStatus.COMPLETED) {
      throw new IllegalStateException("build " + build.buildKey + " is " + build.status + ", not COMPLETED");
    }
    Instant now = clock.instant();
    DesiredStateRow row = DesiredStateRow.findById(deviceId);
    boolean created = row == null;
    if (created) {
      row = new DesiredStateRow();
      row.deviceId = deviceId;
      row.revision = 0;
    }
    // fill every column before persist(): Hibernate snapshots the state for the INSERT at persist time, so a row
    // persisted half-initialised is inserted with NULLs by the next (auto-)flush
    row.revision = row.revision + 1;
    row.rolloutId = rolloutId;
    row.buildKey = build.buildKey;
    row.maxAccuracyDrop = maxAccuracyDrop;
    row.updatedAt = now;
    if (created) {
      row.persist();
    }
    publisher.publish(new DesiredState(deviceId, row.revision, rolloutId, build.buildKey, build.artifactSha256,
        build.sizeBytes, build.signature, build.signingKeyId, maxAccuracyDrop, now));
    return row.revision;
  }

  /**
   * Clears a device's assignment (rollback of a device that had no build before): revision + 1, build null, stored,
   * then published. Returns the new revision.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public long clear(String deviceId, String rolloutId, double maxAccuracyDrop) {
    Instant now = clock.instant();
    DesiredStateRow row = DesiredStateRow.findById(deviceId);
    boolean created = row == null;
    if (created) {
      row = new DesiredStateRow();
      row.deviceId = deviceId;
      row.revision = 0;
    }
    row.revision = row.revision + 1;
    row.rolloutId = rolloutId;
    row.buildKey = null;
    row.maxAccuracyDrop = maxAccuracyDrop;
    row.updatedAt = now;
    if (created) {
      row.persist();
    }
    publisher.publish(new DesiredState(deviceId, row.revision, rolloutId, null, null, 0, null, null, maxAccuracyDrop,
        now));
    return row.revision;
  }

  /** The device's current assignment with presigned URLs (buildKey null when nothing is assigned). */
  public DeviceAssignment assignment(String deviceId) {
    int poll = config.devices().pollIntervalSeconds();
    DesiredStateRow row = DesiredStateRow.findById(deviceId);
    if (row == null || row.buildKey == null) {
      long revision = row == null ? 0 : row.revision;
      return new DeviceAssignment(deviceId, revision, row == null ? null : row.rolloutId, null, null, null, 0, null,
          null, null, null, row == null ? 0 : row.maxAccuracyDrop, poll, null);
    }
    Build build = Build.findById(row.buildKey);
    if (build == null || build.artifactKey == null) {
      throw new ControlPlaneException(ErrorCode.INTERNAL,
          "desired state of " + deviceId + " references build " + row.buildKey + " without an artifact");
    }
    Instant expires = clock.instant().plus(storage.presignExpiry());
    String evalUrl = null;
    Model model = build.modelId != null ? Model.findById(build.modelId)
        : Model.find("sha256", build.modelSha256).firstResult();
    if (model != null) {
      evalUrl = storage.presignedGet(model.evalKey);
    }
    String referenceUrl = build.referenceKey == null ? null : storage.presignedGet(build.referenceKey);
    return new DeviceAssignment(deviceId, row.revision, row.rolloutId, build.buildKey,
        storage.presignedGet(build.artifactKey), build.artifactSha256, build.sizeBytes, build.signature,
        build.signingKeyId, evalUrl, referenceUrl, row.maxAccuracyDrop, poll, expires);
  }
}
