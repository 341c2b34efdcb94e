package io.edgefleet.quantizer.cli;

import io.edgefleet.quantization.samples.SampleSet;
import io.edgefleet.quantization.samples.SampleSetCodec;
import io.edgefleet.quantizer.mixed.CliErrorCode;
import io.edgefleet.quantizer.mixed.QuantizerCliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading inputs and writing outputs of the commands, with clear errors. */
final class Inputs {
    private static final Pattern SIZE = Pattern.compile("(?i)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(b|kb|kib|mb|mib)?\\s*");
    private static final Pattern TIME = Pattern.compile("(?i)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(us|µs|ms|s)?\\s*");

    private Inputs() {
    }

    static byte[] readModel(Path file) {
        requireFile(file, "model");
        try {
            return Files.readAllBytes(file);
        } catch (IOException ex) {
            throw new QuantizerCliException(CliErrorCode.IO_ERROR, "cannot read model " + file + ": "
                    + ex.getMessage(), ex);
        }
    }

    static SampleSet readSamples(Path file, int maxSamples) {
        requireFile(file, "sample set");
        SampleSet set = SampleSetCodec.read(file);
        return maxSamples > 0 && set.count() > maxSamples ? set.slice(0, maxSamples) : set;
    }

    static void requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new QuantizerCliException(CliErrorCode.IO_ERROR, what + " file " + file + " does not exist");
        }
    }

    /** Writes a file atomically (temp file + move): never a half-written output. */
    static void write(Path file, byte[] bytes) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw new QuantizerCliException(CliErrorCode.IO_ERROR, "cannot write " + file + ": " + ex.getMessage(), ex);
        }
    }

    /** "123456", "120KB" (1000), "120KiB" (1024), "1.5MB". */
    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT, "invalid size '" + text
                    + "' (e.g. 150000, 150KB, 146KiB, 1.5MB)");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        double factor = switch (unit) {
            case "kb" -> 1000;
            case "kib" -> 1024;
            case "mb" -> 1_000_000;
            case "mib" -> 1024 * 1024;
            default -> 1;
        };
        return Math.round(value * factor);
    }

    /** "800" / "800us" (µs), "1.5ms", "0.01s" → microseconds. */
    static double parseMicros(String text) {
        Matcher m = TIME.matcher(text);
        if (!m.matches()) {
            throw new QuantizerCliException(CliErrorCode.INVALID_ARGUMENT, "invalid duration '" + text
                    + "' (e.g. 800us, 1.5ms)");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "us" : m.group(2).toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "ms" -> value * 1000;
            case "s" -> value * 1_000_000;
            default -> value;
        };
    }
}
