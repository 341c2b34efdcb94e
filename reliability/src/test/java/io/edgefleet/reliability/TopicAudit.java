package io.edgefleet.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.edgefleet.schemas.Topics;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.FleetEvent;
import io.edgefleet.schemas.events.InferenceTelemetry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the platform's topics from outside, as the reliability and soak suites audit them: end and committed offsets,
 * the dead-letter topics, and the telemetry topic counted per (device, sequence).
 */
final class TopicAudit {
  private final String bootstrapServers;

  TopicAudit(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** Waits until {@code group} has committed every partition of {@code topic} up to {@code end}. */
  void awaitConsumed(String group, String topic, Map<TopicPartition, Long> end, Duration atMost) {
    await(group + " consumed all of " + topic).atMost(atMost).pollInterval(Duration.ofSeconds(1))
        .until(() -> {
          Map<TopicPartition, Long> committed = committedOffsets(group, topic);
          // a partition no key hashed to has no committed offset: nothing to consume there
          return end.entrySet().stream().allMatch(e -> committed.getOrDefault(e.getKey(), 0L) >= e.getValue());
        });
  }

  private Map<String, Object> kafkaProps() {
    Map<String, Object> p = new HashMap<>();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return p;
  }

  Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
    try (Admin admin = Admin.create(kafkaProps())) {
      var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      partitions.forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      Map<TopicPartition, Long> out = new HashMap<>();
      admin.listOffsets(request).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
      return out;
    }
  }

  Map<TopicPartition, Long> committedOffsets(String group, String topic) throws Exception {
    try (Admin admin = Admin.create(kafkaProps())) {
      Map<TopicPartition, OffsetAndMetadata> all =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, Long> out = new HashMap<>();
      all.forEach((tp, om) -> {
        if (tp.topic().equals(topic) && om != null) {
          out.put(tp, om.offset());
        }
      });
      return out;
    }
  }

  /** Every record of {@code topic} from its beginning up to its current end offsets (read with a fresh group). */
  List<ConsumerRecord<String, byte[]>> records(String topic) throws Exception {
    Map<TopicPartition, Long> end = endOffsets(topic);
    Map<String, Object> p = kafkaProps();
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reliability-read-" + System.nanoTime());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(end.keySet());
      consumer.seekToBeginning(end.keySet());
      Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
      while (Instant.now().isBefore(deadline)
          && end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            out.add(r);
          }
        }
      }
    }
    return out;
  }

  /** The {@code dlq-reason} header of every record on {@code <topic>.dlq} (none when the topic was never created). */
  List<String> deadLetterReasons(String topic) throws Exception {
    String dlq = Topics.deadLetter(topic);
    try (Admin admin = Admin.create(kafkaProps())) {
      if (!admin.listTopics().names().get().contains(dlq)) {
        return List.of();
      }
    }
    List<String> reasons = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : records(dlq)) {
      var header = r.headers().lastHeader(Topics.DLQ_REASON_HEADER);
      reasons.add(r.topic() + "@" + r.offset() + ": "
          + (header == null ? "(no reason header)" : new String(header.value(), StandardCharsets.UTF_8)));
    }
    return reasons;
  }

  /** What the telemetry topic holds up to {@code end}: per device and sequence, counted once. */
  static final class TelemetryLedger {
    long records;
    long duplicates;
    long distinctInferences;
    final List<String> gaps = new ArrayList<>();
  }

  TelemetryLedger readTelemetry(Map<TopicPartition, Long> end) {
    Map<String, Object> p = kafkaProps();
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reliability-audit-" + System.nanoTime());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    EventCodec codec = new EventCodec();
    TelemetryLedger ledger = new TelemetryLedger();
    Map<String, TreeMap<Long, Long>> perDevice = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(end.keySet());
      consumer.seekToBeginning(end.keySet());
      Set<TopicPartition> done = new HashSet<>();
      Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
      while (done.size() < end.size() && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (r.offset() >= end.get(tp)) {
            continue;
          }
          ledger.records++;
          try {
            FleetEvent e = codec.decode(r.value()).event();
            if (e instanceof InferenceTelemetry t) {
              Long previous = perDevice.computeIfAbsent(t.deviceId(), k -> new TreeMap<>())
                  .putIfAbsent(t.sequence(), t.latency().count());
              if (previous != null) {
                ledger.duplicates++;
              }
            }
          } catch (io.edgefleet.schemas.codec.EventDecodingException ex) {
            throw new AssertionError("undecodable telemetry at " + tp + "@" + r.offset() + ": " + ex.getMessage(), ex);
          }
        }
        for (TopicPartition tp : end.keySet()) {
          if (consumer.position(tp) >= end.get(tp)) {
            done.add(tp);
          }
        }
      }
      assertThat(done).as("read the telemetry topic up to its end offsets").hasSize(end.size());
    }
    perDevice.forEach((device, batches) -> {
      long expected = batches.firstKey();
      for (long seq : batches.keySet()) {
        if (seq != expected) {
          ledger.gaps.add(device + ": " + expected + ".." + (seq - 1));
        }
        expected = seq + 1;
      }
      ledger.distinctInferences += batches.values().stream().mapToLong(Long::longValue).sum();
    });
    return ledger;
  }
}
