package io.edgefleet.localstack;

/** Stable error keys of the local stack; the key never changes once published. */
public enum LocalStackErrorCode {
    /** The configuration is invalid (bad port, blank credential, ...). */
    INVALID_CONFIG("local-stack.invalid-config"),
    /** The runtime classpath of the child JVM could not be determined. */
    CLASSPATH_UNAVAILABLE("local-stack.classpath-unavailable"),
    /** The child JVM could not be spawned, or it exited before reporting READY. */
    CHILD_START_FAILED("local-stack.child-start-failed"),
    /** The child JVM did not report READY within the startup timeout. */
    STARTUP_TIMEOUT("local-stack.startup-timeout"),
    /** The child reported that one of the services failed to start. */
    SERVICE_START_FAILED("local-stack.service-start-failed"),
    /** Another local stack is running on the same data directory. */
    DATA_DIR_IN_USE("local-stack.data-dir-in-use"),
    /** A service did not stop cleanly. */
    SERVICE_STOP_FAILED("local-stack.service-stop-failed"),
    /** A fault-injection command (stop/start of one service) failed or timed out. */
    COMMAND_FAILED("local-stack.command-failed"),
    /** The stack has already been closed. */
    CLOSED("local-stack.closed"),
    /** The READY line or endpoints file is malformed. */
    MALFORMED_ENDPOINTS("local-stack.malformed-endpoints"),
    /** An I/O problem with the data directory or the child's streams. */
    IO_FAILURE("local-stack.io-failure");

    private final String key;

    LocalStackErrorCode(String key) {
        this.key = key;
    }

    /** The stable, documented key of this error. */
    public String key() {
        return key;
    }
}
