package io.edgefleet.worker.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.BuildCompleted;
import io.edgefleet.schemas.events.EventType;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Build manifests: {@code build-manifests/<buildKey>.json} holds the {@link BuildCompleted} JSON of a finished build.
 * The manifest is written after every object it names, so its presence means the build is complete.
 */
public final class ManifestStore {
  private static final Logger LOG = Logger.getLogger(ManifestStore.class.getName());
  private static final ObjectMapper MAPPER = EventCodec.mapper();

  private final ObjectStore store;
  private final EventCodec codec;

  public ManifestStore(ObjectStore store, EventCodec codec) {
    this.store = store;
    this.codec = codec;
  }

  /**
   * The completed build recorded for {@code buildKey}, if a valid manifest exists whose artifact is present. An
   * unreadable manifest or one whose artifact is gone is logged and treated as absent, so the build is redone and the
   * manifest replaced.
   */
  public Optional<BuildCompleted> find(String buildKey) {
    String key = StorageLayout.manifestKey(buildKey);
    Optional<byte[]> bytes = store.find(key);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    BuildCompleted completed;
    try {
      completed = parse(bytes.get());
    } catch (IOException | IllegalArgumentException e) {
      LOG.warning("ignoring unreadable build manifest " + key + " (the build will be redone): " + e.getMessage());
      return Optional.empty();
    }
    if (!buildKey.equals(completed.buildKey())) {
      LOG.warning("ignoring build manifest " + key + " recorded for another build key " + completed.buildKey());
      return Optional.empty();
    }
    if (!store.exists(completed.artifactObjectKey())) {
      LOG.warning("build manifest " + key + " names missing artifact " + completed.artifactObjectKey() + "; rebuilding");
      return Optional.empty();
    }
    return Optional.of(completed);
  }

  /** Writes the manifest: the commit point of a build. */
  public void write(BuildCompleted completed) {
    byte[] json;
    try {
      json = MAPPER.writeValueAsBytes(completed);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise BuildCompleted", e);
    }
    store.put(StorageLayout.manifestKey(completed.buildKey()), json, "application/json");
  }

  /** Parses and schema-validates a manifest. */
  BuildCompleted parse(byte[] json) throws IOException {
    JsonNode node = MAPPER.readTree(json);
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("manifest is not a JSON object");
    }
    Set<String> violations = codec.validateData(EventType.BUILD_COMPLETED, node);
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("manifest violates " + EventType.BUILD_COMPLETED.type() + ": " + violations);
    }
    return MAPPER.treeToValue(node, BuildCompleted.class);
  }
}
