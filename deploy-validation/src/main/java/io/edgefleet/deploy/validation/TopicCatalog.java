package io.edgefleet.deploy.validation;

import io.edgefleet.deploy.DeployException;
import io.edgefleet.deploy.ErrorCode;
import io.edgefleet.schemas.Topics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Kafka topics the platform needs, read from {@link Topics} so that a topic added there without its
 * {@code KafkaTopic} fails the build.
 *
 * @param topics every catalog topic and its dead-letter companion
 * @param compacted topics that must be log-compacted
 */
public record TopicCatalog(Set<String> topics, Set<String> compacted) {

  /** Every {@code public static final String} of {@link Topics} naming a {@code fleet.} topic, plus its DLQ. */
  public static TopicCatalog fromSchemas() {
    Set<String> topics = new TreeSet<>();
    for (Field field : Topics.class.getFields()) {
      int modifiers = field.getModifiers();
      if (!Modifier.isStatic(modifiers) || !Modifier.isFinal(modifiers) || field.getType() != String.class) {
        continue;
      }
      String value;
      try {
        value = (String) field.get(null);
      } catch (IllegalAccessException e) {
        throw new DeployException(ErrorCode.CATALOG_UNAVAILABLE, "cannot read Topics." + field.getName(), e);
      }
      if (value.startsWith("fleet.")) {
        topics.add(value);
        topics.add(Topics.deadLetter(value));
      }
    }
    if (topics.isEmpty()) {
      throw new DeployException(ErrorCode.CATALOG_UNAVAILABLE, "no topics found in " + Topics.class.getName());
    }
    return new TopicCatalog(Set.copyOf(topics), Set.of(Topics.DESIRED_STATE));
  }
}
