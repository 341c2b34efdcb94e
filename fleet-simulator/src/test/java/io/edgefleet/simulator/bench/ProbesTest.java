package io.edgefleet.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ProbesTest {

  @Test
  void shouldSumLagPerTopicCountingUncommittedPartitionsWhole() {
    TopicPartition f0 = new TopicPartition("fleet.device.feedback", 0);
    TopicPartition f1 = new TopicPartition("fleet.device.feedback", 1);
    TopicPartition t0 = new TopicPartition("fleet.telemetry", 0);
    Map<String, Long> lag = KafkaLagProbe.lag(Map.of(f0, 100L, f1, 50L, t0, 10L),
        Map.of(f0, new OffsetAndMetadata(90), t0, new OffsetAndMetadata(10)));
    assertThat(lag).containsEntry("fleet.device.feedback", 60L).containsEntry("fleet.telemetry", 0L);
  }

  @Test
  void shouldParseResidentMemoryFromProcStatus() {
    String status = "Name:\tjava\nVmHWM:\t  812344 kB\nVmRSS:\t  512000 kB\nThreads:\t42\n";
    assertThat(ResourceProbes.parseKiB(status, "VmRSS:")).hasValue(512000L * 1024);
    assertThat(ResourceProbes.parseKiB(status, "VmHWM:")).hasValue(812344L * 1024);
    assertThat(ResourceProbes.parseKiB(status, "VmSwap:")).isEmpty();
  }

  @Test
  void shouldReadThisProcessResidentMemory() {
    assertThat(ResourceProbes.residentBytes(ProcessHandle.current().pid()).orElseThrow()).isPositive();
  }
}
