package io.edgefleet.controlplane.testing;

import io.edgefleet.localstack.LocalStack;
import io.edgefleet.localstack.LocalStackConfig;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts the real local stack (Kafka KRaft broker, PostgreSQL, S3 server in a child JVM) for {@code @QuarkusTest}s
 * and points the control plane at it.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {
  private LocalStack stack;

  @Override
  public Map<String, String> start() {
    try {
      Path dir = Files.createTempDirectory(Path.of("target"), "local-stack-");
      stack = LocalStack.start(LocalStackConfig.builder().dataDir(dir).build());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return Map.of(
        "kafka.bootstrap.servers", stack.kafkaBootstrapServers(),
        "quarkus.datasource.jdbc.url", stack.jdbcUrl(),
        "quarkus.datasource.username", stack.dbUser(),
        "quarkus.datasource.password", stack.dbPassword(),
        "edgefleet.s3.endpoint", stack.s3Endpoint(),
        "edgefleet.s3.access-key", stack.s3AccessKey(),
        "edgefleet.s3.secret-key", stack.s3SecretKey(),
        "edgefleet.s3.bucket", stack.s3Bucket());
  }

  @Override
  public void stop() {
    if (stack != null) {
      stack.close();
    }
  }
}
