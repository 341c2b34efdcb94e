package io.edgefleet.deploy.validation;

import io.edgefleet.deploy.manifest.Resource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Built-in kinds against the Kubernetes API: each object is deserialized into the fabric8 {@code kubernetes-model}
 * class of its exact apiVersion + kind (strict scalars), and every field the model does not define is reported.
 * Only the apiVersions served by current Kubernetes releases are accepted (e.g. {@code policy/v1beta1} is not).
 */
public final class KubernetesApiCheck implements ManifestCheck {

  private static final Map<String, Class<?>> MODELS =
      Map.ofEntries(
          Map.entry("v1/Namespace", Namespace.class),
          Map.entry("v1/ServiceAccount", ServiceAccount.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Secret", Secret.class),
          Map.entry("v1/PersistentVolumeClaim", PersistentVolumeClaim.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("apps/v1/StatefulSet", StatefulSet.class),
          Map.entry("apps/v1/DaemonSet", DaemonSet.class),
          Map.entry("batch/v1/Job", Job.class),
          Map.entry("batch/v1/CronJob", CronJob.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class));

  @Override
  public boolean covers(Resource resource) {
    return MODELS.containsKey(key(resource));
  }

  @Override
  public List<Violation> check(List<Resource> resources) {
    List<Violation> violations = new ArrayList<>();
    for (Resource resource : resources) {
      Class<?> model = MODELS.get(key(resource));
      if (model != null) {
        TypedDeserialization.read(resource, model, violations);
      }
    }
    return violations;
  }

  private static String key(Resource resource) {
    return resource.apiVersion() + "/" + resource.kind();
  }
}
