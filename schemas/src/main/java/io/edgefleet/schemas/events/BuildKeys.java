package io.edgefleet.schemas.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The build key: one build per (model content, plan content). */
public final class BuildKeys {
  private BuildKeys() {}

  /** sha256(modelSha256 + ":" + planHash) as lower-case hex. */
  public static String of(String modelSha256, String planHash) {
    return sha256Hex((modelSha256 + ":" + planHash).getBytes(StandardCharsets.UTF_8));
  }

  /** Lower-case hex sha256 of {@code bytes}. */
  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
