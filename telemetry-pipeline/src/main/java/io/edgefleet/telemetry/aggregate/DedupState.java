package io.edgefleet.telemetry.aggregate;

/**
 * Replay detection state of one device: the highest sequence seen and a bitmap of which of the
 * {@value #WINDOW} sequences ending at it were seen (bit i = sequence {@code maxSequence - i}), like an IPsec anti-replay
 * window. Constant size per device, independent of the telemetry rate.
 *
 * <p>Immutable.
 */
public final class DedupState {
  /** Number of sequences (at and below the maximum) whose presence is remembered. */
  public static final int WINDOW = 1024;

  static final int WORDS = WINDOW / 64;

  private final long maxSequence;
  private final long lastSeenMillis;
  private final long[] words;

  DedupState(long maxSequence, long lastSeenMillis, long[] words) {
    if (words.length != WORDS) {
      throw new IllegalArgumentException("bitmap must have " + WORDS + " words");
    }
    this.maxSequence = maxSequence;
    this.lastSeenMillis = lastSeenMillis;
    this.words = words;
  }

  /** The outcome of offering a sequence number. */
  public enum Verdict {
    /** Not seen before: count it. */
    NEW,
    /** Seen before: a replay, drop it. */
    REPLAY,
    /**
     * More than {@link #WINDOW} below the highest sequence seen: treated as a restarted sequence (e.g. an agent whose
     * data directory was wiped), counted, and the state restarts from it.
     */
    RESET
  }

  /** Result of {@link #offer}: the verdict and the state to store (unchanged for a replay). */
  public record Offer(Verdict verdict, DedupState next) {}

  /** State of a device seen for the first time with {@code sequence}. */
  public static DedupState first(long sequence, long nowMillis) {
    long[] w = new long[WORDS];
    w[0] = 1L;
    return new DedupState(sequence, nowMillis, w);
  }

  /** Offers a sequence: whether it is new, and the next state. {@code state} may be null (device never seen). */
  public static Offer offer(DedupState state, long sequence, long nowMillis) {
    if (state == null) {
      return new Offer(Verdict.NEW, first(sequence, nowMillis));
    }
    return state.offer(sequence, nowMillis);
  }

  private Offer offer(long sequence, long nowMillis) {
    if (sequence > maxSequence) {
      long shift = sequence - maxSequence;
      long[] w = shifted(shift);
      w[0] |= 1L;
      return new Offer(Verdict.NEW, new DedupState(sequence, nowMillis, w));
    }
    long index = maxSequence - sequence;
    if (index >= WINDOW) {
      return new Offer(Verdict.RESET, first(sequence, nowMillis));
    }
    int i = (int) index;
    long mask = 1L << (i & 63);
    if ((words[i >>> 6] & mask) != 0) {
      return new Offer(Verdict.REPLAY, this);
    }
    long[] w = words.clone();
    w[i >>> 6] |= mask;
    return new Offer(Verdict.NEW, new DedupState(maxSequence, nowMillis, w));
  }

  /** The bitmap moved {@code shift} positions towards older sequences. */
  private long[] shifted(long shift) {
    long[] w = new long[WORDS];
    if (shift >= WINDOW) {
      return w;
    }
    int wordShift = (int) (shift >>> 6);
    int bitShift = (int) (shift & 63);
    for (int dst = WORDS - 1; dst >= 0; dst--) {
      int src = dst - wordShift;
      if (src < 0) {
        break;
      }
      long v = words[src] << bitShift;
      if (bitShift != 0 && src > 0) {
        v |= words[src - 1] >>> (64 - bitShift);
      }
      w[dst] = v;
    }
    return w;
  }

  public long maxSequence() {
    return maxSequence;
  }

  /** Wall-clock time of the last accepted batch (for retention). */
  public long lastSeenMillis() {
    return lastSeenMillis;
  }

  long word(int i) {
    return words[i];
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DedupState)) {
      return false;
    }
    DedupState d = (DedupState) o;
    return maxSequence == d.maxSequence && lastSeenMillis == d.lastSeenMillis && java.util.Arrays.equals(words, d.words);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(maxSequence) * 31 + java.util.Arrays.hashCode(words);
  }
}
