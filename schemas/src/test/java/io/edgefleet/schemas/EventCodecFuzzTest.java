package io.edgefleet.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.codec.EventDecodingException;
import io.edgefleet.schemas.events.FleetEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever a producer puts on a topic, decoding yields the event or an {@link EventDecodingException} with a failure
 * kind (the consumers' dead-letter reason), never another exception.
 */
class EventCodecFuzzTest {
  private static final EventCodec CODEC = new EventCodec();
  private static final List<byte[]> VALID =
      EventCodecTest.samples().map(e -> CODEC.encode(e, "/fuzz")).toList();
  private static final String[] TOKENS = {
      "null", "-1", "1e309", "\"\"", "[]", "{}", "true", "\"fleet.build.requested.v1\"", "\"1.0\"", "0",
      "\"not-a-date\"", "9223372036854775808", "\"\\u0000\""};

  @Property(tries = 1000, seed = "20261123")
  void shouldDecodeOrRejectMutatedEvents(
      @ForAll @IntRange(min = 0, max = 1000) int which, @ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int edits) {
    String json = new String(VALID.get(which % VALID.size()), StandardCharsets.UTF_8);
    Random random = new Random(seed);
    for (int i = 0; i < edits; i++) {
      json = mutate(json, random);
    }

    assertDecodesOrFailsCleanly(json.getBytes(StandardCharsets.UTF_8));
  }

  @Property(tries = 300, seed = "20261123")
  void shouldRejectArbitraryBytes(@ForAll byte[] bytes) {
    assertDecodesOrFailsCleanly(bytes);
  }

  @org.junit.jupiter.api.Test
  void shouldRejectANumberThatOverflowsToInfinityWhereAnEnumIsExpected() {
    // found by the property above: 1e309 parsed to Infinity crashed the schema validator's enum check
    String json = new String(VALID.get(0), StandardCharsets.UTF_8).replace("\"MIXED\"", "1e309");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CODEC.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(EventDecodingException.class,
            e -> assertThat(e.failure()).isEqualTo(io.edgefleet.schemas.codec.DecodeFailure.SCHEMA_VIOLATION))
        .hasMessageContaining("not a finite number");
  }

  /** Replaces a JSON value after a random ':' with a hostile token, or cuts or duplicates a slice. */
  private static String mutate(String json, Random random) {
    int at = random.nextInt(json.length());
    switch (random.nextInt(3)) {
      case 0 -> {
        int colon = json.indexOf(':', at);
        if (colon < 0) {
          return json.substring(0, at);
        }
        int end = colon + 1;
        while (end < json.length() && ",}]".indexOf(json.charAt(end)) < 0) {
          end++;
        }
        return json.substring(0, colon + 1) + TOKENS[random.nextInt(TOKENS.length)] + json.substring(end);
      }
      case 1 -> {
        return json.substring(0, at) + json.substring(Math.min(json.length(), at + 1 + random.nextInt(8)));
      }
      default -> {
        int end = Math.min(json.length(), at + random.nextInt(16));
        return json.substring(0, end) + json.substring(at);
      }
    }
  }

  private static void assertDecodesOrFailsCleanly(byte[] bytes) {
    try {
      FleetEvent event = CODEC.decode(bytes).event();
      assertThat(event.key()).isNotNull();
    } catch (EventDecodingException e) {
      assertThat(e.failure()).isNotNull();
    }
  }
}
