package io.edgefleet.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service that cannot start makes start() fail clearly, and nothing is left running. */
class LocalStackFailureIT {

    @TempDir
    Path tmp;

    @Test
    void shouldFailClearlyAndStopEverythingWhenAPortIsTaken() throws Exception {
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(InetAddress.getByName(LoopbackPorts.HOST), 0));
            int taken = squatter.getLocalPort();
            LocalStackConfig config = LocalStackConfig.builder().dataDir(tmp.resolve("stack")).s3Port(taken).build();
            List<Long> before = javaChildren();

            assertThatThrownBy(() -> LocalStack.start(config))
                    .isInstanceOf(LocalStackException.class)
                    .hasMessageContaining("S3")
                    .satisfies(e -> assertThat(((LocalStackException) e).code())
                            .isEqualTo(LocalStackErrorCode.SERVICE_START_FAILED));

            assertThat(javaChildren()).as("no child JVM is left behind").isEqualTo(before);
            assertThat(squatter.isBound()).isTrue();
        }
    }

    private static List<Long> javaChildren() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
    }
}
