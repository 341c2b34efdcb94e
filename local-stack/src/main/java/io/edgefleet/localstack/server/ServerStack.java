package io.edgefleet.localstack.server;

import io.edgefleet.localstack.Component;
import io.edgefleet.localstack.LocalStackConfig;
import io.edgefleet.localstack.LocalStackEndpoints;
import io.edgefleet.localstack.LocalStackErrorCode;
import io.edgefleet.localstack.LocalStackException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three services of the stack, started in parallel and stopped in reverse order. Runs inside the child JVM only.
 *
 * <p>Layout of the data dir: {@code kafka/} (broker config + logs), {@code pg/} (PostgreSQL cluster), {@code s3/}
 * (buckets), {@code logs/} (service logs), {@code endpoints.json}, {@code local-stack.log} (child output, written by the
 * parent).
 */
public final class ServerStack implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerStack.class);

    private final LocalStackConfig config;
    private final Map<Component, ServiceNode> nodes = new EnumMap<>(Component.class);
    private final KafkaNode kafka;
    private final PostgresNode postgres;
    private final S3Node s3;

    /** @param config configuration whose ports are all non-zero */
    public ServerStack(LocalStackConfig config) {
        this.config = config;
        Path dir = config.dataDir();
        this.postgres = new PostgresNode(dir.resolve("pg"), dir.resolve("logs").resolve("postgres.log"),
                config.postgresPort(), config.dbName(), config.dbUser(), config.dbPassword(), config.startupTimeout());
        this.s3 = new S3Node(dir.resolve("s3"), config.s3Port(), config.s3AccessKey(), config.s3SecretKey(),
                config.s3Bucket());
        this.kafka = new KafkaNode(dir.resolve("kafka"), config.kafkaPort(), config.kafkaControllerPort(),
                config.startupTimeout());
        nodes.put(Component.POSTGRES, postgres);
        nodes.put(Component.S3, s3);
        nodes.put(Component.KAFKA, kafka);
    }

    /**
     * Starts every service (all three in parallel) and returns their endpoints.
     *
     * @throws LocalStackException if a service fails to start; everything that did start is stopped again
     */
    public LocalStackEndpoints startAll() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "local-stack-start");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?> kafkaStarted = pool.submit(() -> {
                kafka.start();
                return null;
            });
            Future<?> postgresStarted = pool.submit(() -> {
                postgres.start();
                return null;
            });
            Future<?> s3Started = pool.submit(() -> {
                s3.start();
                return null;
            });
            List<Throwable> failures = new ArrayList<>();
            for (Future<?> f : List.of(postgresStarted, s3Started, kafkaStarted)) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            if (!failures.isEmpty()) {
                LocalStackException failure = new LocalStackException(LocalStackErrorCode.SERVICE_START_FAILED,
                        describe(failures), failures.get(0));
                failures.stream().skip(1).forEach(failure::addSuppressed);
                stopAll();
                throw failure;
            }
        } catch (InterruptedException e) {
            stopAll();
            throw e;
        } finally {
            pool.shutdownNow();
        }
        long startupMillis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        return new LocalStackEndpoints(
                kafka.bootstrapServers(),
                postgres.jdbcUrl(),
                config.dbUser(),
                config.dbPassword(),
                s3.endpoint(),
                config.s3AccessKey(),
                config.s3SecretKey(),
                config.s3Bucket(),
                config.dataDir().toString(),
                ProcessHandle.current().pid(),
                startupMillis);
    }

    private static String describe(List<Throwable> failures) {
        StringBuilder sb = new StringBuilder("failed to start: ");
        for (int i = 0; i < failures.size(); i++) {
            Throwable t = failures.get(i);
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
            if (t.getCause() != null && t.getCause() != t) {
                sb.append(" (cause: ").append(t.getCause()).append(')');
            }
        }
        return sb.toString();
    }

    /** Starts one service again (fault injection). */
    public void start(Component component) throws Exception {
        nodes.get(component).start();
    }

    /** Stops one service (fault injection); its ports stay assigned to it. */
    public void stop(Component component) throws Exception {
        nodes.get(component).stop();
    }

    /**
     * Stops every running service, Kafka first; each stop is attempted even if an earlier one fails.
     *
     * @throws LocalStackException if any service failed to stop (the others are still stopped)
     */
    public synchronized void stopAll() {
        List<Throwable> failures = new ArrayList<>();
        for (Component c : List.of(Component.KAFKA, Component.S3, Component.POSTGRES)) {
            ServiceNode node = nodes.get(c);
            if (!node.running()) {
                continue;
            }
            try {
                node.stop();
            } catch (Exception | Error e) {
                LOG.error("Stopping {} failed", c, e);
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            LocalStackException failure = new LocalStackException(LocalStackErrorCode.SERVICE_STOP_FAILED,
                    "failed to stop cleanly: " + describe(failures), failures.get(0));
            failures.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
    }

    @Override
    public void close() {
        stopAll();
    }
}
