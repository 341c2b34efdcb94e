package io.edgefleet.telemetry.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DedupStateTest {

  @Test
  void shouldDetectExactlyTheRepeatedSequencesWithinTheWindow() {
    Random random = new Random(3);
    List<Long> offered = new ArrayList<>();
    for (long s = 5_000; s < 7_000; s++) {
      offered.add(s);
      if (random.nextInt(4) == 0) {
        offered.add(s - random.nextInt(900)); // replay up to 900 behind
      }
    }
    // shuffle locally (out of order by up to 50 positions), as a spooling agent might
    for (int i = 0; i + 50 < offered.size(); i += 50) {
      Collections.shuffle(offered.subList(i, i + 50), random);
    }
    Set<Long> seen = new HashSet<>();
    DedupState state = null;
    for (long s : offered) {
      DedupState.Offer o = DedupState.offer(state, s, 0);
      boolean expectedNew = seen.add(s);
      assertThat(o.verdict()).as("sequence %s", s)
          .isEqualTo(expectedNew ? DedupState.Verdict.NEW : DedupState.Verdict.REPLAY);
      state = o.next();
    }
    assertThat(state.maxSequence()).isEqualTo(6_999);
  }

  @Test
  void shouldTreatASequenceFarBelowTheMaximumAsAReset() {
    DedupState state = DedupState.first(10_000, 0);
    DedupState.Offer reset = DedupState.offer(state, 3, 1);
    assertThat(reset.verdict()).isEqualTo(DedupState.Verdict.RESET);
    assertThat(DedupState.offer(reset.next(), 3, 2).verdict()).isEqualTo(DedupState.Verdict.REPLAY);
    assertThat(DedupState.offer(reset.next(), 4, 2).verdict()).isEqualTo(DedupState.Verdict.NEW);
  }

  @Test
  void shouldForgetEverythingAfterAJumpBeyondTheWindow() {
    DedupState state = DedupState.first(1, 0);
    DedupState jumped = DedupState.offer(state, 1 + DedupState.WINDOW + 10L, 0).next();
    assertThat(DedupState.offer(jumped, 1 + DedupState.WINDOW + 10L, 0).verdict()).isEqualTo(DedupState.Verdict.REPLAY);
    assertThat(DedupState.offer(jumped, 20, 0).verdict()).isEqualTo(DedupState.Verdict.NEW);
  }

  @Test
  void shouldRoundTripThroughTheSerde() {
    DedupState state = DedupState.first(100, 1234);
    for (long s : new long[] {101, 150, 99, 700, 640}) {
      state = DedupState.offer(state, s, 5678).next();
    }
    DedupStateSerde serde = new DedupStateSerde();
    byte[] bytes = serde.serializer().serialize("t", state);
    DedupState back = serde.deserializer().deserialize("t", bytes);
    assertThat(back).isEqualTo(state);
    assertThat(back.lastSeenMillis()).isEqualTo(5678);
    assertThat(DedupState.offer(back, 150, 0).verdict()).isEqualTo(DedupState.Verdict.REPLAY);
    assertThat(DedupState.offer(back, 151, 0).verdict()).isEqualTo(DedupState.Verdict.NEW);
    // in-order devices keep a small state
    assertThat(DedupStateSerde.serialize(DedupState.offer(DedupState.first(1, 0), 2, 0).next())).hasSize(26);
  }
}
