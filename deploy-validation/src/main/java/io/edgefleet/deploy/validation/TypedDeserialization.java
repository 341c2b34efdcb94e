package io.edgefleet.deploy.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.edgefleet.deploy.manifest.Resource;
import java.util.List;

/** Deserializes a resource into its typed model class and reports type errors and unknown fields. */
final class TypedDeserialization {

  /** Strict: no string→number/boolean coercion (the API server rejects {@code replicas: "2"}). */
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .build();

  private TypedDeserialization() {}

  /** Deserializes {@code resource} as {@code type}, adding violations to {@code out}; null when it cannot. */
  static <T> T read(Resource resource, Class<T> type, List<Violation> out) {
    T typed;
    try {
      typed = MAPPER.treeToValue(resource.body(), type);
    } catch (JsonMappingException e) {
      out.add(Violation.of(resource, Rule.INVALID_VALUE, "at " + path(e) + ": " + e.getOriginalMessage()));
      return null;
    } catch (JsonProcessingException e) {
      out.add(Violation.of(resource, Rule.INVALID_VALUE, e.getOriginalMessage()));
      return null;
    }
    for (String unknown : TypedModelWalker.unknownFields(typed)) {
      out.add(Violation.of(resource, Rule.UNKNOWN_FIELD, "field '" + unknown + "' is not part of " + resource.apiVersion()
          + " " + resource.kind()));
    }
    return typed;
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "<root>" : path.toString();
  }
}
