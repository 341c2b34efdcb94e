package io.edgefleet.planner;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Content hash of a plan: sha256 over a canonical text of the assignment, so equal assignments hash equally whatever
 * map or input order produced them.
 *
 * <p>Canonical form: entries sorted by layer id (String natural order), each written as
 * {@code <utf-16 length of id>:<id>=<precision key>\n}. The length prefix keeps ids containing '=' or newlines
 * unambiguous. The precision keys are the stable {@link Precision#key()} values.
 */
public final class PlanHash {
    private PlanHash() {
    }

    public static String canonical(Map<String, Precision> assignment) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(assignment).forEach((layerId, precision) -> text.append(layerId.length()).append(':')
                .append(layerId).append('=').append(precision.key()).append('\n'));
        return text.toString();
    }

    public static String of(Map<String, Precision> assignment) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(canonical(assignment).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
