package io.edgefleet.deploy.validation;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.edgefleet.deploy.DeployException;
import io.edgefleet.deploy.ErrorCode;
import io.edgefleet.deploy.manifest.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Custom resources of operators that publish no Java model, checked against JSON Schemas kept in this module
 * ({@code src/main/resources/io/edgefleet/deploy/crd-schemas}). Each schema is written by hand from the operator's
 * documented API reference, covers the fields the project uses and their documented neighbours, and forbids all
 * other fields ({@code additionalProperties: false}); its {@code description} names the API version it follows.
 */
public final class CrdSchemaCheck implements ManifestCheck {

  private static final Map<String, String> SCHEMAS =
      Map.of(
          "postgresql.cnpg.io/v1/Cluster", "cnpg-cluster-v1.schema.json",
          "keda.sh/v1alpha1/ScaledObject", "keda-scaledobject-v1alpha1.schema.json");

  private final Map<String, JsonSchema> schemas;

  public CrdSchemaCheck() {
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    java.util.HashMap<String, JsonSchema> loaded = new java.util.HashMap<>();
    for (Map.Entry<String, String> entry : SCHEMAS.entrySet()) {
      String resource = "/io/edgefleet/deploy/crd-schemas/" + entry.getValue();
      try (InputStream in = CrdSchemaCheck.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new DeployException(ErrorCode.SCHEMA_UNAVAILABLE, "missing class-path resource " + resource);
        }
        loaded.put(entry.getKey(), factory.getSchema(in));
      } catch (IOException e) {
        throw new DeployException(ErrorCode.SCHEMA_UNAVAILABLE, resource + ": " + e.getMessage(), e);
      }
    }
    this.schemas = Map.copyOf(loaded);
  }

  @Override
  public boolean covers(Resource resource) {
    return schemas.containsKey(key(resource));
  }

  @Override
  public List<Violation> check(List<Resource> resources) {
    List<Violation> violations = new ArrayList<>();
    for (Resource resource : resources) {
      JsonSchema schema = schemas.get(key(resource));
      if (schema == null) {
        continue;
      }
      for (ValidationMessage message : schema.validate(resource.body())) {
        Rule rule = "additionalProperties".equals(message.getType())
            ? Rule.UNKNOWN_FIELD
            : "required".equals(message.getType()) ? Rule.MISSING_FIELD : Rule.INVALID_VALUE;
        violations.add(Violation.of(resource, rule, message.getMessage()));
      }
    }
    return violations;
  }

  private static String key(Resource resource) {
    return resource.apiVersion() + "/" + resource.kind();
  }
}
