package io.edgefleet.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;

class LocalStackEndpointsTest {

    private static final LocalStackEndpoints SAMPLE = new LocalStackEndpoints(
            "127.0.0.1:40001", "jdbc:postgresql://127.0.0.1:40002/edgefleet", "edgefleet", "pa\"ss\\word\n",
            "http://127.0.0.1:40003", "edgefleet-local", "s3cr\u00e9t\u0001", "edgefleet", "/tmp/a dir/x",
            4242L, 12_345L);

    @Test
    void shouldRoundTripThroughTheReadyLine() {
        String line = SAMPLE.toReadyLine();

        assertThat(line).startsWith("LOCAL-STACK-READY {").doesNotContain("\n");
        assertThat(LocalStackEndpoints.parseReadyLine(line)).contains(SAMPLE);
    }

    @Test
    void shouldParseAHandWrittenLineWithWhitespaceEscapesAndUnknownKeys() {
        String line = "LOCAL-STACK-READY { \"kafkaBootstrapServers\" : \"127.0.0.1:9092\", \"jdbcUrl\":"
                + "\"jdbc:postgresql:\\/\\/127.0.0.1:5432\\/edgefleet\", \"dbUser\":\"u\", \"dbPassword\":\"p\\u0041\","
                + " \"s3Endpoint\":\"http://127.0.0.1:9000\", \"s3AccessKey\":\"a\", \"s3SecretKey\":\"s\","
                + " \"s3Bucket\":\"b\", \"dataDir\":\"/d\", \"pid\": 17, \"startupMillis\": 9000,"
                + " \"futureField\": true, \"other\": null }";

        LocalStackEndpoints e = LocalStackEndpoints.parseReadyLine(line).orElseThrow();

        assertThat(e.kafkaBootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(e.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/edgefleet");
        assertThat(e.dbPassword()).isEqualTo("pA");
        assertThat(e.pid()).isEqualTo(17L);
        assertThat(e.startupMillis()).isEqualTo(9000L);
    }

    @Test
    void shouldIgnoreLinesThatAreNotReadyLines() {
        assertThat(LocalStackEndpoints.parseReadyLine("some log output {\"a\":1}")).isEmpty();
        assertThat(LocalStackEndpoints.parseReadyLine(null)).isEmpty();
    }

    @Test
    void shouldRejectMalformedOrIncompletePayloads() {
        assertThatThrownBy(() -> LocalStackEndpoints.parseReadyLine("LOCAL-STACK-READY {\"kafkaBootstrapServers\":"))
                .isInstanceOf(LocalStackException.class)
                .satisfies(e -> assertThat(((LocalStackException) e).code())
                        .isEqualTo(LocalStackErrorCode.MALFORMED_ENDPOINTS));
        assertThatThrownBy(() -> LocalStackEndpoints.fromJson("{\"kafkaBootstrapServers\":\"x\"}"))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("jdbcUrl");
        assertThatThrownBy(() -> LocalStackEndpoints.fromJson(SAMPLE.toJson().replace("\"pid\":4242", "\"pid\":\"4242\"")))
                .hasMessageContaining("'pid' must be an integer");
        assertThatThrownBy(() -> LocalStackEndpoints.fromJson("{\"a\":{\"nested\":1}}"))
                .hasMessageContaining("flat objects only");
        assertThatThrownBy(() -> LocalStackEndpoints.fromJson(SAMPLE.toJson() + "x"))
                .hasMessageContaining("trailing");
    }

    @Test
    void shouldNotPrintSecretsInToString() {
        assertThat(SAMPLE.toString()).contains("127.0.0.1:40001").doesNotContain("s3cr").doesNotContain("pa\"ss");
    }

    @Test
    void shouldRouteChildLinesToReadinessAndCommandResponses() {
        CompletableFuture<LocalStackEndpoints> ready = new CompletableFuture<>();
        LinkedBlockingQueue<String> responses = new LinkedBlockingQueue<>();

        LocalStack.handleLine("12:00:00 some broker noise", ready, responses);
        LocalStack.handleLine(SAMPLE.toReadyLine(), ready, responses);
        LocalStack.handleLine("LOCAL-STACK-DONE STOP kafka", ready, responses);
        LocalStack.handleLine("LOCAL-STACK-FAILED START s3: port in use", ready, responses);

        assertThat(ready).isCompletedWithValue(SAMPLE);
        assertThat(responses).containsExactly("LOCAL-STACK-DONE STOP kafka", "LOCAL-STACK-FAILED START s3: port in use");
    }

    @Test
    void shouldFailReadinessOnAStartupFailureLine() {
        CompletableFuture<LocalStackEndpoints> ready = new CompletableFuture<>();

        LocalStack.handleLine("LOCAL-STACK-FAILED startup: kafka: Address already in use", ready,
                new LinkedBlockingQueue<>());

        assertThat(ready).isCompletedExceptionally();
        assertThatThrownBy(ready::join).hasCauseInstanceOf(LocalStackException.class)
                .hasMessageContaining("Address already in use");
    }
}
