package io.edgefleet.telemetry.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.telemetry.TelemetryErrorCode;
import io.edgefleet.telemetry.TelemetryPipelineException;
import io.edgefleet.telemetry.testing.Telemetry;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TelemetryAggregateSerdeTest {
  private final TelemetryAggregateSerde serde = new TelemetryAggregateSerde();

  @Test
  void shouldRoundTripAnAggregateWithHistogramAndExactDevices() {
    TelemetryAggregate a = TelemetryAggregate.empty()
        .add(observation("dev-1", 1_000, 2_000, 100, 250, 9_000))
        .add(observation("dev-2", 1_500, 2_500, 7, 8));

    byte[] bytes = serde.serializer().serialize("t", a);
    TelemetryAggregate back = serde.deserializer().deserialize("t", bytes);

    assertThat(back).isEqualTo(a);
    assertThat(back.histogram().getValueAtPercentile(99)).isEqualTo(a.histogram().getValueAtPercentile(99));
    assertThat(back.devices().isExact()).isTrue();
    assertThat(back.devices().count()).isEqualTo(2);
    assertThat(back.firstWindowStartMillis()).isEqualTo(1_000);
    assertThat(back.lastWindowEndMillis()).isEqualTo(2_500);
    assertThat(back.snapshot(0).throughputPerSecond()).isEqualTo(5 * 1000.0 / 1_500);
  }

  @Test
  void shouldRoundTripAnAggregateWhoseDevicesAreASketch() {
    TelemetryAggregate a = TelemetryAggregate.empty();
    for (int i = 0; i < 1_000; i++) {
      a.add(observation("dev-" + i, 0, 10, i + 1));
    }
    byte[] bytes = TelemetryAggregateSerde.serialize(a);
    TelemetryAggregate back = TelemetryAggregateSerde.deserialize(bytes);

    assertThat(back.devices().isExact()).isFalse();
    assertThat(back).isEqualTo(a);
    assertThat(back.devices().count()).isBetween(950L, 1_050L);
    // the histogram is stored sparse (V2 varint/zero-run encoding): far below one long per value or per bucket
    assertThat(bytes.length).isLessThan(4096 + 4000);
  }

  @Test
  void shouldRoundTripAnEmptyAggregate() {
    TelemetryAggregate empty = TelemetryAggregate.empty();
    assertThat(TelemetryAggregateSerde.deserialize(TelemetryAggregateSerde.serialize(empty))).isEqualTo(empty);
    assertThat(empty.snapshot(60_000).p99Micros()).isNull();
    assertThat(empty.snapshot(60_000).top1Accuracy()).isNull();
  }

  @Test
  void shouldRejectCorruptBytesAsCorruptState() {
    byte[] bytes = TelemetryAggregateSerde.serialize(TelemetryAggregate.empty().add(observation("d", 0, 1, 5)));
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);
    assertThatThrownBy(() -> TelemetryAggregateSerde.deserialize(truncated))
        .isInstanceOf(TelemetryPipelineException.class)
        .satisfies(e -> assertThat(((TelemetryPipelineException) e).code()).isEqualTo(TelemetryErrorCode.CORRUPT_STATE));
    bytes[0] = 9;
    assertThatThrownBy(() -> TelemetryAggregateSerde.deserialize(bytes)).hasMessageContaining("version 9");
  }

  @Test
  void shouldMergeLikeAddingEveryBatchToOneAggregate() {
    TelemetryObservation o1 = observation("a", 0, 10, 100, 200);
    TelemetryObservation o2 = observation("b", 5, 20, 300);
    TelemetryObservation o3 = observation("a", 7, 30, 400, 500, 600);
    TelemetryAggregate left = TelemetryAggregate.empty().add(o1);
    TelemetryAggregate right = TelemetryAggregate.empty().add(o2).add(o3);
    TelemetryAggregate all = TelemetryAggregate.empty().add(o1).add(o2).add(o3);

    assertThat(left.copy().merge(right)).isEqualTo(all);
    assertThat(all.snapshot(0).devices()).isEqualTo(2);
  }

  @Test
  void shouldReadVersion2AggregatesWithADeflatedHistogram() throws Exception {
    TelemetryAggregate a = TelemetryAggregate.empty()
        .add(observation("dev-1", 1_000, 2_000, 100, 250, 9_000))
        .add(observation("dev-2", 1_500, 2_500, 7, 8));
    // the layout earlier releases wrote: the V2 histogram encoding deflated, preceded by both lengths
    java.nio.ByteBuffer encoded = java.nio.ByteBuffer.allocate(a.histogram().getNeededByteBufferCapacity());
    int n = a.histogram().encodeIntoByteBuffer(encoded);
    java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.BEST_SPEED);
    deflater.setInput(encoded.array(), 0, n);
    deflater.finish();
    byte[] compressed = new byte[n + 64];
    int c = deflater.deflate(compressed);
    deflater.end();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
    out.writeByte(2);
    for (long v : new long[] {a.batches(), a.inferences(), a.labelled(), a.correct(), a.reference(), a.agreement(),
        a.errors(), a.firstWindowStartMillis(), a.lastWindowEndMillis()}) {
      out.writeLong(v);
    }
    out.writeInt(n);
    out.writeInt(c);
    out.write(compressed, 0, c);
    a.devices().write(out);
    out.flush();

    TelemetryAggregate back = TelemetryAggregateSerde.deserialize(bytes.toByteArray());

    assertThat(back).isEqualTo(a);
    assertThat(TelemetryAggregateSerde.serialize(back)[0]).isEqualTo(TelemetryAggregateSerde.VERSION);
  }

  @Test
  void shouldReEncodeTheDevicesOnlyWhenTheSetChanges() {
    TelemetryAggregate a = TelemetryAggregate.empty().add(observation("dev-1", 0, 10, 5));
    byte[] first = a.devices().encoded();
    a.add(observation("dev-1", 10, 20, 6));
    assertThat(a.devices().encoded()).isSameAs(first);
    a.add(observation("dev-2", 20, 30, 7));
    assertThat(a.devices().encoded()).isNotSameAs(first);
    assertThat(TelemetryAggregateSerde.deserialize(TelemetryAggregateSerde.serialize(a)).devices().count()).isEqualTo(2);
  }

  static TelemetryObservation observation(String device, long start, long end, long... latencies) {
    return new TelemetryObservation(device, 1, "build", "r", "hc", start, end, latencies.length,
        SparseHistogram.of(Telemetry.histogram(latencies)), latencies.length, latencies.length - 1L, 2, 1, 0);
  }
}
