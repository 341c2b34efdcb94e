package io.edgefleet.quantizer.cli;

import io.edgefleet.quantization.sensitivity.ProgressListener;
import java.io.PrintWriter;

/** Progress lines on stderr ("[stage] done/total message"), silent when quiet. */
final class Progress {
    private Progress() {
    }

    static ProgressListener of(PrintWriter err, String stage, boolean quiet) {
        if (quiet) {
            return ProgressListener.NONE;
        }
        return (done, total, message) -> {
            err.printf("[%s] %d/%d %s%n", stage, done, total, message);
            err.flush();
        };
    }

    static void stage(PrintWriter err, boolean quiet, String text) {
        if (!quiet) {
            err.println("[..] " + text);
            err.flush();
        }
    }
}
