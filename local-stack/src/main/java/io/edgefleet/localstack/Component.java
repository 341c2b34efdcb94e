package io.edgefleet.localstack;

import java.util.Locale;

/** The services run by the local stack, in start order. */
public enum Component {
    POSTGRES,
    S3,
    KAFKA;

    /** Lower-case name used on the child's command line protocol ({@code STOP kafka}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a {@link #wireName()} (case-insensitive). */
    public static Component fromWireName(String name) {
        for (Component c : values()) {
            if (c.wireName().equalsIgnoreCase(name.trim())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown component '" + name + "' (expected one of kafka, postgres, s3)");
    }
}
