package io.edgefleet.deploy.manifest;

import java.util.Set;

/** Which kinds are cluster-scoped (have no namespace). */
public final class Scope {

  private static final Set<String> CLUSTER_SCOPED =
      Set.of(
          "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume",
          "StorageClass", "PriorityClass", "Node", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration",
          "IngressClass", "RuntimeClass", "APIService", "CSIDriver", "ClusterIssuer", "ClusterTriggerAuthentication");

  private Scope() {}

  public static boolean isClusterScoped(String kind) {
    return CLUSTER_SCOPED.contains(kind);
  }
}
