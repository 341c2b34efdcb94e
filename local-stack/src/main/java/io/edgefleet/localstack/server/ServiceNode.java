package io.edgefleet.localstack.server;

import io.edgefleet.localstack.Component;

/** One service of the stack; start and stop may be called repeatedly (fault injection). */
public sealed interface ServiceNode permits KafkaNode, PostgresNode, S3Node {

    Component component();

    /** Starts the service and returns once it accepts connections; no-op if running. */
    void start() throws Exception;

    /** Stops the service and releases its ports; no-op if stopped. */
    void stop() throws Exception;

    boolean running();
}
