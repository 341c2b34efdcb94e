package io.edgefleet.schemas.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Canonical hardware class of a device: devices with the same class get the same quantization plan and share builds
 * and latency tables. The class is a hash of the capability set that matters for inference kernels: architecture, the
 * SIMD features TFLite/XNNPACK kernels use, core count, a power-of-two RAM bucket, the accelerator and the precisions
 * it accepts, and the runtime version. Other cpuinfo flags do not change it.
 */
public final class HardwareClass {

  /** CPU flags that select different inference kernels (x86 and Arm names as Linux reports them). */
  public static final Set<String> KERNEL_RELEVANT_FEATURES =
      Set.of(
          "sse4_1", "sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512vl", "avx512_vnni",
          "avx512vnni", "avx_vnni", "avx512_bf16", "avx512_fp16", "amx_int8", "amx_bf16",
          "neon", "asimd", "asimddp", "asimdhp", "fphp", "i8mm", "bf16", "sve", "sve2", "sme");

  private HardwareClass() {}

  /** The canonical description the class id is hashed from (stable, human-readable). */
  public static String canonicalDescription(HardwareProfile hw) {
    TreeSet<String> features = new TreeSet<>();
    for (String f : hw.cpuFeatures()) {
      String lower = f.toLowerCase(Locale.ROOT);
      if (KERNEL_RELEVANT_FEATURES.contains(lower)) {
        features.add(lower);
      }
    }
    TreeSet<String> precisions = new TreeSet<>();
    for (String p : hw.accelerator().precisions()) {
      precisions.add(p.toUpperCase(Locale.ROOT));
    }
    return String.join(
        "|",
        List.of(
            "arch=" + hw.arch().toLowerCase(Locale.ROOT),
            "features=" + String.join(",", features),
            "cores=" + hw.cores(),
            "ramGiB=" + ramBucketGiB(hw.ramBytes()),
            "accelerator=" + hw.accelerator().type().toLowerCase(Locale.ROOT),
            "accPrecisions=" + String.join(",", precisions),
            "runtime=" + (hw.runtimeVersion() == null ? "" : hw.runtimeVersion())));
  }

  /** Class id, e.g. {@code hc-3f2a9c0d1e4b5a67}. */
  public static String of(HardwareProfile hw) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(canonicalDescription(hw).getBytes(StandardCharsets.UTF_8));
      return "hc-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** RAM rounded down to a power of two GiB (0 below 1 GiB). */
  static long ramBucketGiB(long ramBytes) {
    long gib = ramBytes >> 30;
    return gib <= 0 ? 0 : Long.highestOneBit(gib);
  }
}
