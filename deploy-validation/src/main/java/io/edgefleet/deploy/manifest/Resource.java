package io.edgefleet.deploy.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefleet.deploy.DeployException;
import io.edgefleet.deploy.ErrorCode;

/**
 * One Kubernetes object as a JSON tree, with the file it came from. The tree is mutable while a kustomization is
 * rendered; {@link #copy()} before changing one that others may hold.
 */
public record Resource(ObjectNode body, String origin) {

  /** Checks the fields every object needs (apiVersion, kind, metadata.name) and wraps the tree. */
  public static Resource of(ObjectNode body, String origin) {
    for (String field : new String[] {"apiVersion", "kind"}) {
      if (!body.path(field).isTextual() || body.path(field).asText().isBlank()) {
        throw new DeployException(ErrorCode.INVALID_RESOURCE, origin + ": missing or non-string '" + field + "'");
      }
    }
    if (!body.path("metadata").path("name").isTextual() || body.path("metadata").path("name").asText().isBlank()) {
      throw new DeployException(ErrorCode.INVALID_RESOURCE, origin + ": missing metadata.name");
    }
    return new Resource(body, origin);
  }

  public String apiVersion() {
    return body.get("apiVersion").asText();
  }

  public String kind() {
    return body.get("kind").asText();
  }

  public String name() {
    return body.get("metadata").get("name").asText();
  }

  /** Namespace, or null when unset. */
  public String namespace() {
    JsonNode ns = body.path("metadata").path("namespace");
    return ns.isTextual() && !ns.asText().isEmpty() ? ns.asText() : null;
  }

  public ResourceId id() {
    return new ResourceId(ResourceId.groupOf(apiVersion()), kind(), namespace(), name());
  }

  /** metadata, created when missing. */
  public ObjectNode metadata() {
    return body.with("metadata");
  }

  public Resource copy() {
    return new Resource(body.deepCopy(), origin);
  }

  @Override
  public String toString() {
    return id() + " (" + origin + ")";
  }
}
