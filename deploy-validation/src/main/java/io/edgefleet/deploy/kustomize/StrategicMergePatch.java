package io.edgefleet.deploy.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefleet.deploy.DeployException;
import io.edgefleet.deploy.ErrorCode;
import java.util.Iterator;
import java.util.Map;

/**
 * The subset of Kubernetes strategic-merge-patch semantics that the project's overlays use.
 *
 * <ul>
 *   <li>Maps merge recursively; a {@code null} value deletes the field.
 *   <li>For built-in kinds, lists with a patch merge key merge element-wise by that key (new elements are appended):
 *       {@code containers}, {@code initContainers}, {@code ephemeralContainers}, {@code env}, {@code volumes},
 *       {@code imagePullSecrets} by {@code name}; {@code volumeMounts} by {@code mountPath}; container
 *       {@code ports} by {@code containerPort}; Service {@code ports} by {@code port};
 *       {@code topologySpreadConstraints} by {@code topologyKey}; {@code hostAliases} by {@code ip}.
 *   <li>Every other list is replaced, as is every list of a custom resource (JSON merge patch, RFC 7386).
 *   <li>Patch directives ({@code $patch}, {@code $retainKeys}, {@code $deleteFromPrimitiveList}, ...) are rejected
 *       with {@link ErrorCode#UNSUPPORTED_KUSTOMIZE_FEATURE}, never silently ignored.
 * </ul>
 */
public final class StrategicMergePatch {

  private static final Map<String, String> MERGE_KEYS =
      Map.of(
          "containers", "name",
          "initContainers", "name",
          "ephemeralContainers", "name",
          "env", "name",
          "volumes", "name",
          "imagePullSecrets", "name",
          "volumeMounts", "mountPath",
          "topologySpreadConstraints", "topologyKey",
          "hostAliases", "ip");

  private StrategicMergePatch() {}

  /**
   * Applies {@code patch} to {@code target} in place.
   *
   * @param builtInKind true for Kubernetes built-in kinds (merge keys apply), false for custom resources
   */
  public static void apply(ObjectNode target, ObjectNode patch, boolean builtInKind) {
    merge(target, patch, builtInKind, "", false);
  }

  private static void merge(ObjectNode target, ObjectNode patch, boolean builtIn, String path, boolean inContainer) {
    Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      JsonNode value = field.getValue();
      String fieldPath = path + "." + name;
      if (name.startsWith("$")) {
        throw new DeployException(
            ErrorCode.UNSUPPORTED_KUSTOMIZE_FEATURE, "patch directive " + name + " at " + fieldPath + " is not supported");
      }
      JsonNode current = target.get(name);
      if (value.isNull()) {
        target.remove(name);
      } else if (value.isObject() && current != null && current.isObject()) {
        merge((ObjectNode) current, (ObjectNode) value, builtIn, fieldPath, false);
      } else if (value.isArray() && current != null && current.isArray() && builtIn) {
        String key = mergeKey(name, path, inContainer);
        if (key == null) {
          target.set(name, value.deepCopy());
        } else {
          mergeList((ArrayNode) current, (ArrayNode) value, key, fieldPath, name);
        }
      } else {
        target.set(name, value.deepCopy());
      }
    }
  }

  private static String mergeKey(String field, String parentPath, boolean inContainer) {
    if ("ports".equals(field)) {
      return inContainer ? "containerPort" : parentPath.equals(".spec") ? "port" : null;
    }
    return MERGE_KEYS.get(field);
  }

  private static void mergeList(ArrayNode current, ArrayNode patch, String key, String path, String field) {
    boolean containers = field.endsWith("ontainers");
    for (JsonNode element : patch) {
      if (!element.isObject() || !element.hasNonNull(key)) {
        throw new DeployException(
            ErrorCode.KUSTOMIZATION_INVALID, "patch element of " + path + " lacks its merge key '" + key + "'");
      }
      ObjectNode match = null;
      for (JsonNode existing : current) {
        if (existing.isObject() && element.get(key).equals(existing.get(key))) {
          match = (ObjectNode) existing;
          break;
        }
      }
      if (match == null) {
        current.add(element.deepCopy());
      } else {
        merge(match, (ObjectNode) element, true, path + "[" + element.get(key).asText() + "]", containers);
      }
    }
  }
}
