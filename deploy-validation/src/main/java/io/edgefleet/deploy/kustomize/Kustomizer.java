package io.edgefleet.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefleet.deploy.DeployException;
import io.edgefleet.deploy.ErrorCode;
import io.edgefleet.deploy.manifest.ManifestYaml;
import io.edgefleet.deploy.manifest.Resource;
import io.edgefleet.deploy.manifest.ResourceId;
import io.edgefleet.deploy.manifest.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a kustomization directory the way {@code kustomize build} does, for the subset of Kustomize that the
 * project uses. No Kustomize implementation runs on the JVM, so this is a deliberate, limited re-implementation;
 * {@code KustomizeParityTest} compares it with the real {@code kubectl kustomize} where that binary exists.
 *
 * <p>Supported kustomization fields, applied in this order after the resources are loaded:
 *
 * <ol>
 *   <li>{@code resources}: YAML files (multi-document) and directories holding a {@code kustomization.yaml}
 *       (rendered recursively). Remote resources are not supported.
 *   <li>{@code patches} / {@code patchesStrategicMerge}: strategic-merge patches from {@code path} or inline
 *       {@code patch}, one or more documents each, every document applied to the single resource with the same
 *       group, kind and name (see {@link StrategicMergePatch}). {@code target} selectors and JSON 6902 patches are
 *       rejected.
 *   <li>{@code namespace}: set on every namespaced resource (cluster-scoped kinds are left alone).
 *   <li>{@code labels}: {@code pairs} added to every resource's metadata and, with {@code includeTemplates}, to
 *       the pod templates of workloads and the volume claim templates of StatefulSets; {@code includeSelectors:
 *       true} is rejected.
 *   <li>{@code images}: {@code newName} / {@code newTag} / {@code digest} for containers and init containers of
 *       pod templates whose image name equals {@code name}.
 *   <li>{@code replicas}: {@code spec.replicas} of the Deployment, StatefulSet or ReplicaSet named {@code name}.
 * </ol>
 *
 * Any other field (generators, {@code commonLabels}, name prefixes, components, ...) fails with
 * {@link ErrorCode#UNSUPPORTED_KUSTOMIZE_FEATURE} rather than rendering something kustomize would not.
 */
public final class Kustomizer {

  private static final Set<String> SUPPORTED_FIELDS =
      Set.of(
          "apiVersion", "kind", "metadata", "resources", "patches", "patchesStrategicMerge", "namespace", "labels",
          "images", "replicas");

  /** Kinds whose strategic-merge patches use Kubernetes list merge keys (apiVersion group "" or a k8s.io group). */
  private static final Set<String> BUILT_IN_GROUPS =
      Set.of("", "apps", "batch", "policy", "autoscaling", "networking.k8s.io", "rbac.authorization.k8s.io");

  private static final Set<String> WORKLOADS =
      Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job");

  private static final Set<String> SCALABLE = Set.of("Deployment", "StatefulSet", "ReplicaSet");

  /** Renders the kustomization in {@code directory}. */
  public List<Resource> build(Path directory) {
    return build(directory.toAbsolutePath().normalize(), 0);
  }

  private List<Resource> build(Path directory, int depth) {
    if (depth > 20) {
      throw new DeployException(ErrorCode.KUSTOMIZATION_INVALID, "resource nesting too deep at " + directory);
    }
    Path file = kustomizationFile(directory);
    List<ObjectNode> documents = ManifestYaml.readDocuments(file);
    if (documents.size() != 1) {
      throw new DeployException(ErrorCode.KUSTOMIZATION_INVALID, file + ": expected one YAML document");
    }
    ObjectNode kustomization = documents.get(0);
    Iterator<String> names = kustomization.fieldNames();
    while (names.hasNext()) {
      String field = names.next();
      if (!SUPPORTED_FIELDS.contains(field)) {
        throw new DeployException(
            ErrorCode.UNSUPPORTED_KUSTOMIZE_FEATURE, file + ": field '" + field + "' is not supported by this renderer");
      }
    }

    List<Resource> resources = new ArrayList<>();
    for (String entry : strings(kustomization, "resources", file)) {
      Path path = directory.resolve(entry).normalize();
      List<Resource> loaded = Files.isDirectory(path) ? build(path, depth + 1) : ManifestYaml.readResources(path);
      for (Resource resource : loaded) {
        for (Resource existing : resources) {
          if (existing.id().equals(resource.id())) {
            throw new DeployException(
                ErrorCode.DUPLICATE_RESOURCE, resource + " is declared twice (also in " + existing.origin() + ")");
          }
        }
        resources.add(resource);
      }
    }

    applyPatches(kustomization, "patchesStrategicMerge", directory, file, resources);
    applyPatches(kustomization, "patches", directory, file, resources);
    if (kustomization.hasNonNull("namespace")) {
      String namespace = kustomization.get("namespace").asText();
      for (Resource resource : resources) {
        if (!Scope.isClusterScoped(resource.kind())) {
          resource.metadata().put("namespace", namespace);
        }
      }
    }
    applyLabels(kustomization, file, resources);
    applyImages(kustomization, file, resources);
    applyReplicas(kustomization, file, resources);
    return resources;
  }

  private static Path kustomizationFile(Path directory) {
    for (String name : new String[] {"kustomization.yaml", "kustomization.yml", "Kustomization"}) {
      Path candidate = directory.resolve(name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new DeployException(ErrorCode.KUSTOMIZATION_INVALID, "no kustomization.yaml in " + directory);
  }

  private static void applyPatches(
      ObjectNode kustomization, String field, Path directory, Path file, List<Resource> resources) {
    JsonNode entries = kustomization.path(field);
    if (entries.isMissingNode()) {
      return;
    }
    if (!entries.isArray()) {
      throw new DeployException(ErrorCode.KUSTOMIZATION_INVALID, file + ": '" + field + "' must be a list");
    }
    for (JsonNode entry : entries) {
      List<ObjectNode> patches;
      if (entry.isTextual()) {
        patches = ManifestYaml.readDocuments(directory.resolve(entry.asText()));
      } else if (entry.isObject()) {
        if (entry.has("target") || entry.has("options")) {
          throw new DeployException(
              ErrorCode.UNSUPPORTED_KUSTOMIZE_FEATURE, file + ": patch 'target'/'options' are not supported");
        }
        if (entry.hasNonNull("path")) {
          patches = ManifestYaml.readDocuments(directory.resolve(entry.get("path").asText()));
        } else if (entry.hasNonNull("patch")) {
          patches = ManifestYaml.parseDocuments(entry.get("patch").asText(), file + " (inline patch)");
        } else {
          throw new DeployException(ErrorCode.KUSTOMIZATION_INVALID, file + ": patch without 'path' or 'patch'");
        }
      } else {
        throw new DeployException(ErrorCode.KUSTOMIZATION_INVALID, file + ": unreadable entry in '" + field + "'");
      }
      for (ObjectNode patch : patches) {
        if (patch.has("op") || patch.isEmpty()) {
          throw new DeployException(
              ErrorCode.UNSUPPORTED_KUSTOMIZE_FEATURE, file + ": only strategic-merge patches are supported");
        }
        Resource patchResource = Resource.of(patch, file + " patch");
        Resource target = findTarget(patchResource.id(), resources, file);
        ObjectNode body = patch.deepCopy();
        body.remove("apiVersion");
        body.remove("kind");
        ObjectNode metadata = (ObjectNode) body.get("metadata");
        metadata.remove("name");
        metadata.remove("namespace");
        if (metadata.isEmpty()) {
          body.remove("metadata");
        }
        StrategicMergePatch.apply(target.body(), body, BUILT_IN_GROUPS.contains(target.id().group()));
      }
    }
  }

  private static Resource findTarget(ResourceId patchId, List<Resource> resources, Path file) {
    Resource found = null;
    for (Resource resource : resources) {
      if (patchId.matchesIgnoringUnsetNamespace(resource.id())) {
        if (found != null) {
          throw new DeployException(ErrorCode.PATCH_TARGET_NOT_FOUND, file + ": patch " + patchId + " is ambiguous");
        }
        found = resource;
      }
    }
    if (found == null) {
      throw new DeployException(
          ErrorCode.PATCH_TARGET_NOT_FOUND, file + ": patch " + patchId + " matches no resource");
    }
    return found;
  }

  private static void applyLabels(ObjectNode kustomization, Path file, List<Resource> resources) {
    JsonNode entries = kustomization.path("labels");
    if (entries.isMissingNode()) {
      return;
    }
    for (JsonNode entry : entries) {
      if (entry.path("includeSelectors").asBoolean(false)) {
        throw new DeployException(
            ErrorCode.UNSUPPORTED_KUSTOMIZE_FEATURE, file + ": labels with includeSelectors are not supported");
      }
      boolean templates = entry.path("includeTemplates").asBoolean(false);
      Iterator<Map.Entry<String, JsonNode>> pairs = entry.path("pairs").fields();
      while (pairs.hasNext()) {
        Map.Entry<String, JsonNode> pair = pairs.next();
        for (Resource resource : resources) {
          resource.metadata().with("labels").put(pair.getKey(), pair.getValue().asText());
          if (templates && WORKLOADS.contains(resource.kind())) {
            ObjectNode template = resource.body().with("spec").with("template");
            template.with("metadata").with("labels").put(pair.getKey(), pair.getValue().asText());
          }
          if (templates && resource.kind().equals("StatefulSet")) {
            for (JsonNode claim : resource.body().path("spec").path("volumeClaimTemplates")) {
              ((ObjectNode) claim).with("metadata").with("labels").put(pair.getKey(), pair.getValue().asText());
            }
          }
        }
      }
    }
  }

  private static void applyImages(ObjectNode kustomization, Path file, List<Resource> resources) {
    for (JsonNode image : kustomization.path("images")) {
      String name = required(image, "name", file);
      for (Resource resource : resources) {
        JsonNode podSpec = resource.body().path("spec").path("template").path("spec");
        for (String list : new String[] {"containers", "initContainers"}) {
          for (JsonNode container : podSpec.path(list)) {
            String current = container.path("image").asText();
            ImageRef ref = ImageRef.parse(current);
            if (!ref.name().equals(name)) {
              continue;
            }
            String newName = image.hasNonNull("newName") ? image.get("newName").asText() : ref.name();
            String reference;
            if (image.hasNonNull("digest")) {
              reference = newName + "@" + image.get("digest").asText();
            } else if (image.hasNonNull("newTag")) {
              reference = newName + ":" + image.get("newTag").asText();
            } else {
              reference = newName + ref.suffix();
            }
            ((ObjectNode) container).put("image", reference);
          }
        }
      }
    }
  }

  private static void applyReplicas(ObjectNode kustomization, Path file, List<Resource> resources) {
    for (JsonNode entry : kustomization.path("replicas")) {
      String name = required(entry, "name", file);
      if (!entry.path("count").canConvertToInt()) {
        throw new DeployException(ErrorCode.KUSTOMIZATION_INVALID, file + ": replicas '" + name + "' without count");
      }
      boolean applied = false;
      for (Resource resource : resources) {
        if (SCALABLE.contains(resource.kind()) && resource.name().equals(name)) {
          resource.body().with("spec").put("replicas", entry.get("count").asInt());
          applied = true;
        }
      }
      if (!applied) {
        throw new DeployException(ErrorCode.PATCH_TARGET_NOT_FOUND, file + ": replicas '" + name + "' matches nothing");
      }
    }
  }

  private static List<String> strings(ObjectNode node, String field, Path file) {
    JsonNode value = node.path(field);
    List<String> result = new ArrayList<>();
    if (value.isMissingNode()) {
      return result;
    }
    if (!value.isArray()) {
      throw new DeployException(ErrorCode.KUSTOMIZATION_INVALID, file + ": '" + field + "' must be a list");
    }
    for (JsonNode item : (ArrayNode) value) {
      if (!item.isTextual()) {
        throw new DeployException(ErrorCode.KUSTOMIZATION_INVALID, file + ": '" + field + "' entries must be strings");
      }
      result.add(item.asText());
    }
    return result;
  }

  private static String required(JsonNode node, String field, Path file) {
    if (!node.path(field).isTextual()) {
      throw new DeployException(ErrorCode.KUSTOMIZATION_INVALID, file + ": entry without '" + field + "'");
    }
    return node.get(field).asText();
  }
}
