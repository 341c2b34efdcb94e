package io.edgefleet.localstack;

/**
 * The line protocol between {@link LocalStack} (parent) and {@link LocalStackMain} (child).
 *
 * <p>Child to parent, on stdout: {@code LOCAL-STACK-READY {json}} once, then for each command either
 * {@code LOCAL-STACK-DONE <command>} or {@code LOCAL-STACK-FAILED <command>: <message>}; a start-up failure is reported
 * as {@code LOCAL-STACK-FAILED startup: <message>} before the child exits non-zero.
 *
 * <p>Parent to child, on stdin (only with {@code --stdin-control}): {@code STOP <component>}, {@code START <component>},
 * {@code SHUTDOWN}; end of input also means shutdown (so the child dies with its parent).
 */
final class ChildProtocol {
    static final String READY = LocalStackEndpoints.READY_PREFIX;
    static final String DONE = "LOCAL-STACK-DONE ";
    static final String FAILED = "LOCAL-STACK-FAILED ";
    static final String STARTUP = "startup";
    static final String CMD_STOP = "STOP";
    static final String CMD_START = "START";
    static final String CMD_SHUTDOWN = "SHUTDOWN";
    static final String ENDPOINTS_FILE = "endpoints.json";
    static final String SHUTDOWN_FILE = "shutdown";
    static final String LOCK_FILE = ".local-stack.lock";
    static final String CHILD_LOG_FILE = "local-stack.log";
    static final String MAIN_CLASS = "io.edgefleet.localstack.LocalStackMain";
    static final String ENV_DB_PASSWORD = "EDGEFLEET_LOCAL_STACK_DB_PASSWORD";
    static final String ENV_S3_SECRET_KEY = "EDGEFLEET_LOCAL_STACK_S3_SECRET_KEY";

    private ChildProtocol() {
    }
}
