package io.edgefleet.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetrySpoolTest {
  @TempDir Path dir;

  private static SpoolRecord record(int i, int size) {
    byte[] value = new byte[size];
    byte[] id = ("event-" + i).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(id, 0, value, 0, Math.min(id.length, size));
    return new SpoolRecord("fleet.telemetry", "dev-1", value);
  }

  private static int idOf(TelemetrySpool.Pending p) {
    String s = new String(p.record().value(), StandardCharsets.US_ASCII).trim();
    return Integer.parseInt(s.substring("event-".length()).replaceAll("\\D.*", ""));
  }

  @Test
  void shouldReplayRecordsInOrderUntilCommitted() {
    try (TelemetrySpool spool = new TelemetrySpool(dir, 1 << 20)) {
      for (int i = 0; i < 5; i++) {
        spool.append(record(i, 100));
      }
      List<TelemetrySpool.Pending> first = spool.peek(3);
      assertThat(first).extracting(TelemetrySpoolTest::idOf).containsExactly(0, 1, 2);
      assertThat(spool.peek(3)).extracting(TelemetrySpoolTest::idOf).as("uncommitted records come again").containsExactly(0, 1, 2);

      spool.commit(first.get(1));

      assertThat(spool.peek(10)).extracting(TelemetrySpoolTest::idOf).containsExactly(2, 3, 4);
      assertThat(first.get(0).record().topic()).isEqualTo("fleet.telemetry");
      assertThat(first.get(0).record().key()).isEqualTo("dev-1");
    }
  }

  @Test
  void shouldKeepUndeliveredRecordsAcrossRestarts() {
    try (TelemetrySpool spool = new TelemetrySpool(dir, 1 << 20)) {
      for (int i = 0; i < 4; i++) {
        spool.append(record(i, 100));
      }
      spool.commit(spool.peek(1).get(0));
    }
    try (TelemetrySpool reopened = new TelemetrySpool(dir, 1 << 20)) {
      assertThat(reopened.peek(10)).extracting(TelemetrySpoolTest::idOf).containsExactly(1, 2, 3);
      reopened.append(record(4, 100));
      assertThat(reopened.peek(10)).extracting(TelemetrySpoolTest::idOf).containsExactly(1, 2, 3, 4);
    }
  }

  @Test
  void shouldDropTheOldestRecordsBeyondTheBoundAndCountThem() {
    long max = 64 * 1024;
    try (TelemetrySpool spool = new TelemetrySpool(dir, max)) {
      int total = 200;
      for (int i = 0; i < total; i++) {
        spool.append(record(i, 1000));
      }
      List<TelemetrySpool.Pending> left = spool.peek(1000);

      assertThat(spool.sizeBytes()).isLessThanOrEqualTo(max);
      assertThat(spool.droppedRecords()).isPositive();
      assertThat(left.size() + spool.droppedRecords()).isEqualTo(total);
      assertThat(left).extracting(TelemetrySpoolTest::idOf).as("the newest survive, in order")
          .endsWith(total - 2, total - 1)
          .isSorted();
      assertThat(idOf(left.get(0))).isEqualTo((int) spool.droppedRecords());
    }
  }

  @Test
  void shouldTruncateATornRecordLeftByACrashMidAppend() throws IOException {
    try (TelemetrySpool spool = new TelemetrySpool(dir, 1 << 20)) {
      spool.append(record(0, 50));
      spool.append(record(1, 50));
    }
    Path segment;
    try (Stream<Path> files = Files.list(dir)) {
      segment = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
    }
    Files.write(segment, new byte[] {0, 0, 0, 50, 1, 2, 3}, StandardOpenOption.APPEND);

    try (TelemetrySpool reopened = new TelemetrySpool(dir, 1 << 20)) {
      reopened.append(record(2, 50));
      assertThat(reopened.peek(10)).extracting(TelemetrySpoolTest::idOf).containsExactly(0, 1, 2);
    }
  }
}
