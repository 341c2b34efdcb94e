package io.edgefleet.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.http.Method;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Starts the real stack through the public client API and uses every service with its real client. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {

    private static final byte[] PAYLOAD = "quantized model bytes \u00e9\u0000\u00ff".getBytes(StandardCharsets.UTF_8);
    private static final String OBJECT = "models/abc/model.tflite";

    @TempDir
    static Path tmp;

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.start(LocalStackConfig.builder().dataDir(tmp.resolve("stack")).build());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void shouldReportEndpointsOnLoopbackAndWriteEndpointsJson() throws Exception {
        assertThat(stack.kafkaBootstrapServers()).startsWith("127.0.0.1:");
        assertThat(stack.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:").endsWith("/edgefleet");
        assertThat(stack.s3Endpoint()).startsWith("http://127.0.0.1:");
        assertThat(stack.dataDir()).isEqualTo(tmp.resolve("stack").toAbsolutePath().normalize());
        assertThat(stack.endpoints().pid()).isEqualTo(stack.childPid());
        assertThat(stack.endpoints().startupMillis()).isPositive();

        LocalStackEndpoints fromFile = LocalStackEndpoints.fromJson(
                Files.readString(stack.dataDir().resolve("endpoints.json")).trim());
        assertThat(fromFile).isEqualTo(stack.endpoints());
        assertThat(stack.logFile()).exists();
        System.out.printf("local stack startup: %d ms (child JVM launch to READY)%n", stack.endpoints().startupMillis());
    }

    @Test
    @Order(2)
    void shouldProduceAndConsumeARecordWithKafka() throws Exception {
        String topic = "local-stack-it-" + UUID.randomUUID();
        RecordMetadata sent = produce(topic, "device-1", "hello-broker");
        assertThat(sent.offset()).isZero();

        assertThat(consumeOne(topic)).isEqualTo("device-1=hello-broker");
    }

    @Test
    @Order(3)
    void shouldCreateInsertAndSelectOverJdbc() throws Exception {
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword())) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE device (id TEXT PRIMARY KEY, cores INT NOT NULL)");
                st.execute("INSERT INTO device VALUES ('dev-1', 4), ('dev-2', 8)");
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT sum(cores), current_user FROM device WHERE id LIKE ?")) {
                ps.setString(1, "dev-%");
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isEqualTo(12);
                    assertThat(rs.getString(2)).isEqualTo("edgefleet");
                }
            }
            assertThat(c.getMetaData().getDatabaseProductVersion()).startsWith("17.");
        }
    }

    @Test
    @Order(4)
    void shouldPutGetStatAndPresignWithTheMinioSdk() throws Exception {
        MinioClient minio = minio();
        assertThat(minio.bucketExists(BucketExistsArgs.builder().bucket(stack.s3Bucket()).build())).isTrue();
        minio.makeBucket(MakeBucketArgs.builder().bucket("artifacts").build());

        minio.putObject(PutObjectArgs.builder().bucket("artifacts").object(OBJECT)
                .stream(new ByteArrayInputStream(PAYLOAD), PAYLOAD.length, -1)
                .contentType("application/octet-stream").build());

        StatObjectResponse stat = minio.statObject(StatObjectArgs.builder().bucket("artifacts").object(OBJECT).build());
        assertThat(stat.size()).isEqualTo(PAYLOAD.length);
        try (GetObjectResponse in = minio.getObject(GetObjectArgs.builder().bucket("artifacts").object(OBJECT).build())) {
            assertThat(in.readAllBytes()).isEqualTo(PAYLOAD);
        }
        try (GetObjectResponse in = minio.getObject(GetObjectArgs.builder().bucket("artifacts").object(OBJECT)
                .offset(4L).length(5L).build())) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("tized");
        }

        String url = minio.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(Method.GET).bucket("artifacts").object(OBJECT).expiry(5, TimeUnit.MINUTES).build());
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> presigned = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(presigned.statusCode()).isEqualTo(200);
        assertThat(presigned.body()).isEqualTo(PAYLOAD);

        HttpResponse<byte[]> tampered = http.send(HttpRequest.newBuilder(URI.create(url.replace("model.tflite", "x")))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(tampered.statusCode()).as("a presigned URL only grants its own object").isEqualTo(403);

        HttpResponse<byte[]> anonymous = http.send(HttpRequest.newBuilder(
                URI.create(stack.s3Endpoint() + "/artifacts/" + OBJECT)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(anonymous.statusCode()).as("authorization is enforced").isEqualTo(403);
    }

    @Test
    @Order(5)
    void shouldStopAndRestartKafkaOnTheSamePortKeepingItsData() throws Exception {
        String topic = "local-stack-restart-" + UUID.randomUUID();
        produce(topic, "k", "before-restart");
        int port = stack.config().kafkaPort();

        stack.stopKafka();
        assertThat(LoopbackPorts.isListening(port)).isFalse();

        stack.startKafka();
        assertThat(LoopbackPorts.isListening(port)).isTrue();
        produce(topic, "k", "after-restart");

        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> seen.add(r.value()));
                return seen.size() >= 2;
            });
        }
        assertThat(seen).containsExactly("before-restart", "after-restart");
    }

    @Test
    @Order(6)
    void shouldRefuseASecondStackOnTheSameDataDir() {
        LocalStackConfig second = LocalStackConfig.builder().dataDir(stack.dataDir())
                .startupTimeout(Duration.ofSeconds(60)).build();

        assertThatThrownBy(() -> LocalStack.start(second))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("in use by another local stack (pid " + stack.childPid() + ")")
                .satisfies(e -> assertThat(((LocalStackException) e).code())
                        .isEqualTo(LocalStackErrorCode.DATA_DIR_IN_USE));
        assertThat(ProcessHandle.of(stack.childPid()).filter(ProcessHandle::isAlive)).isPresent();
    }

    @Test
    @Order(7)
    void shouldStopTheChildAndReleaseThePortsOnClose() {
        long pid = stack.childPid();
        LocalStackConfig c = stack.config();
        int[] ports = {c.kafkaPort(), c.kafkaControllerPort(), c.postgresPort(), c.s3Port()};
        ProcessHandle postmaster = LocalStack.postmaster(stack.dataDir()).orElseThrow();

        stack.close();
        stack.close();

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(postmaster.isAlive()).as("PostgreSQL postmaster %d stopped", postmaster.pid()).isFalse();
        for (int port : ports) {
            assertThat(LoopbackPorts.isListening(port)).as("port %d closed", port).isFalse();
            assertThat(LoopbackPorts.isBindable(port)).as("port %d bindable", port).isTrue();
        }
        assertThat(c.dataDir().resolve("endpoints.json")).doesNotExist();
    }

    @Test
    @Order(8)
    void shouldKeepDataWhenRestartedOnTheSameDataDir() throws Exception {
        Path dataDir = stack.dataDir();
        stack = LocalStack.start(LocalStackConfig.builder().dataDir(dataDir).build());

        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM device")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
        try (GetObjectResponse in = minio().getObject(GetObjectArgs.builder().bucket("artifacts").object(OBJECT).build())) {
            assertThat(in.readAllBytes()).isEqualTo(PAYLOAD);
        }
        String topic = "local-stack-after-restart-" + UUID.randomUUID();
        produce(topic, "k", "v");
        assertThat(consumeOne(topic)).isEqualTo("k=v");
    }

    private static MinioClient minio() {
        return MinioClient.builder()
                .endpoint(stack.s3Endpoint())
                .credentials(stack.s3AccessKey(), stack.s3SecretKey())
                .region("us-east-1")
                .build();
    }

    private static RecordMetadata produce(String topic, String key, String value) throws Exception {
        Properties p = new Properties();
        p.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000"));
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            return producer.send(new ProducerRecord<>(topic, 0, key, value)).get(60, TimeUnit.SECONDS);
        }
    }

    private static String consumeOne(String topic) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
                return !received.isEmpty();
            });
            assertThat(received).hasSize(1);
            return received.get(0).key() + "=" + received.get(0).value();
        }
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "local-stack-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }
}
