package io.edgefleet.worker.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.AnalysisCompleted;
import io.edgefleet.schemas.events.EventType;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Stored analyses: {@code analyses/<modelSha256>.json} holds the {@link AnalysisCompleted} JSON of a finished model
 * analysis. It is the only object an analysis writes, and it is written whole (one atomic PUT), so its presence means
 * the analysis is complete: a repeated request is answered from it instead of measuring again.
 */
public final class AnalysisStore {
  private static final Logger LOG = Logger.getLogger(AnalysisStore.class.getName());
  private static final ObjectMapper MAPPER = EventCodec.mapper();

  private final ObjectStore store;
  private final EventCodec codec;

  public AnalysisStore(ObjectStore store, EventCodec codec) {
    this.store = store;
    this.codec = codec;
  }

  /**
   * The stored analysis of {@code modelSha256}, if a valid one exists. An unreadable object, or one recorded for another
   * model, is logged and treated as absent, so the analysis is redone and the object replaced.
   */
  public Optional<AnalysisCompleted> find(String modelSha256) {
    String key = StorageLayout.analysisKey(modelSha256);
    Optional<byte[]> bytes = store.find(key);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    AnalysisCompleted completed;
    try {
      completed = parse(bytes.get());
    } catch (IOException | IllegalArgumentException e) {
      LOG.warning("ignoring unreadable stored analysis " + key + " (the analysis will be redone): " + e.getMessage());
      return Optional.empty();
    }
    if (!modelSha256.equals(completed.modelSha256())) {
      LOG.warning("ignoring stored analysis " + key + " recorded for another model " + completed.modelSha256());
      return Optional.empty();
    }
    return Optional.of(completed);
  }

  /** Writes the analysis: the commit point of an analysis. */
  public void write(AnalysisCompleted completed) {
    store.put(StorageLayout.analysisKey(completed.modelSha256()), toJson(completed), "application/json");
  }

  /** The stored form: the event's data JSON. */
  public static byte[] toJson(AnalysisCompleted completed) {
    try {
      return MAPPER.writeValueAsBytes(completed);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise AnalysisCompleted", e);
    }
  }

  /** Parses and schema-validates a stored analysis. */
  AnalysisCompleted parse(byte[] json) throws IOException {
    JsonNode node = MAPPER.readTree(json);
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("stored analysis is not a JSON object");
    }
    Set<String> violations = codec.validateData(EventType.ANALYSIS_COMPLETED, node);
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException(
          "stored analysis violates " + EventType.ANALYSIS_COMPLETED.type() + ": " + violations);
    }
    return MAPPER.treeToValue(node, AnalysisCompleted.class);
  }
}
