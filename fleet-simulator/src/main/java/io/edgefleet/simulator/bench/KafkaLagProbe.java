package io.edgefleet.simulator.bench;

import io.edgefleet.simulator.SimulatorErrorCode;
import io.edgefleet.simulator.SimulatorException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag of a consumer group: per topic, the sum over partitions of (log end offset − committed offset); a
 * partition the group has not committed yet counts its whole log.
 */
public final class KafkaLagProbe implements AutoCloseable {
  private final Admin admin;
  private final String group;
  private final List<String> topics;

  public KafkaLagProbe(String bootstrapServers, String group, List<String> topics) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "fleet-benchmark-lag-probe");
    this.admin = Admin.create(p);
    this.group = group;
    this.topics = List.copyOf(topics);
  }

  /** Lag per topic, now. */
  public Map<String, Long> lag() {
    try {
      Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (TopicDescription d : described.values()) {
        d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      return lag(ends.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
          e -> e.getValue().offset())), committed);
    } catch (ExecutionException | TimeoutException e) {
      throw new SimulatorException(SimulatorErrorCode.PROBE_FAILED, "cannot read the lag of group " + group + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SimulatorException(SimulatorErrorCode.PROBE_FAILED, "interrupted while reading consumer lag", e);
    }
  }

  /** Pure lag arithmetic (committed offsets may be missing or null for some partitions). */
  static Map<String, Long> lag(Map<TopicPartition, Long> endOffsets, Map<TopicPartition, OffsetAndMetadata> committed) {
    Map<String, Long> out = new TreeMap<>();
    for (Map.Entry<TopicPartition, Long> e : endOffsets.entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      long done = c == null ? 0 : c.offset();
      out.merge(e.getKey().topic(), Math.max(0, e.getValue() - done), Long::sum);
    }
    return out;
  }

  Collection<String> topics() {
    return topics;
  }

  @Override
  public void close() {
    admin.close(java.time.Duration.ofSeconds(5));
  }
}
