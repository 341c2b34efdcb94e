package io.edgefleet.deploy.manifest;

import java.util.Objects;

/**
 * Identity of a Kubernetes object: API group (empty for the core group), kind, namespace (null for cluster-scoped
 * or not yet set) and name.
 */
public record ResourceId(String group, String kind, String namespace, String name) {

  public ResourceId {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  /** Group of an apiVersion: {@code apps/v1} → {@code apps}, {@code v1} → {@code ""}. */
  public static String groupOf(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** Same group, kind and name; namespaces compared only when both are set. */
  public boolean matchesIgnoringUnsetNamespace(ResourceId other) {
    return group.equals(other.group)
        && kind.equals(other.kind)
        && name.equals(other.name)
        && (namespace == null || other.namespace == null || namespace.equals(other.namespace));
  }

  @Override
  public String toString() {
    return kind + (group.isEmpty() ? "" : "." + group) + "/" + (namespace == null ? "" : namespace + "/") + name;
  }
}
