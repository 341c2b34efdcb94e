package io.edgefleet.quantization.sensitivity;

/** Receives progress of a long-running analysis (called on the analysing thread). */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores every event. */
    ProgressListener NONE = (done, total, message) -> { };

    /**
     * One step finished.
     *
     * @param done steps finished so far (1-based)
     * @param total steps in the whole run
     * @param message what the step was, e.g. {@code "3:FULLY_CONNECTED @ INT8"}
     */
    void onStep(int done, int total, String message);
}
