package io.edgefleet.deploy.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.edgefleet.deploy.DeployException;
import io.edgefleet.deploy.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads (multi-document) YAML files into JSON trees. Empty documents (comments only, a bare "---") are skipped. */
public final class ManifestYaml {

  private static final YAMLMapper YAML = new YAMLMapper();

  private ManifestYaml() {}

  public static YAMLMapper mapper() {
    return YAML;
  }

  /** Every non-empty document of {@code file}; each must be a mapping. */
  public static List<ObjectNode> readDocuments(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new DeployException(ErrorCode.MANIFEST_UNREADABLE, file + ": " + e.getMessage(), e);
    }
    return parseDocuments(text, file.toString());
  }

  /** Every non-empty document of {@code text}, named {@code origin} in errors. */
  public static List<ObjectNode> parseDocuments(String text, String origin) {
    List<ObjectNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
      int index = 0;
      while (it.hasNextValue()) {
        JsonNode document = it.nextValue();
        index++;
        if (document == null || document.isNull() || document.isMissingNode()) {
          continue;
        }
        if (!document.isObject()) {
          throw new DeployException(
              ErrorCode.INVALID_YAML, origin + ": document " + index + " is not a mapping but " + document.getNodeType());
        }
        documents.add((ObjectNode) document);
      }
    } catch (JsonProcessingException e) {
      throw new DeployException(ErrorCode.INVALID_YAML, origin + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new DeployException(ErrorCode.MANIFEST_UNREADABLE, origin + ": " + e.getMessage(), e);
    }
    return documents;
  }

  /** Every document of {@code file} as a {@link Resource}. */
  public static List<Resource> readResources(Path file) {
    List<Resource> resources = new ArrayList<>();
    for (ObjectNode document : readDocuments(file)) {
      resources.add(Resource.of(document, file.toString()));
    }
    return resources;
  }
}
