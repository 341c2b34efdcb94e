package io.edgefleet.localstack;

import io.edgefleet.localstack.server.ServerStack;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Child-JVM entry point (also usable by humans): starts Kafka, PostgreSQL and S3Proxy, prints
 * {@code LOCAL-STACK-READY {json}}, writes {@code <dataDir>/endpoints.json} and runs until SIGTERM/Ctrl-C, a
 * {@code <dataDir>/shutdown} file, or (with {@code --stdin-control}) end of stdin / a {@code SHUTDOWN} line.
 *
 * <pre>
 * java -cp "$(cat local-stack/target/classes/io/edgefleet/localstack/runtime.classpath):local-stack/target/classes" \
 *     io.edgefleet.localstack.LocalStackMain --data-dir .local-stack --kafka-port 9092
 * </pre>
 */
public final class LocalStackMain {
    static final String USAGE = """
            usage: LocalStackMain [options]
              --data-dir DIR               data directory (default ./.local-stack); reused across runs
              --kafka-port N               Kafka PLAINTEXT port (default 0 = free port)
              --kafka-controller-port N    KRaft controller port (default 0 = free port)
              --postgres-port N            PostgreSQL port (default 0 = free port)
              --s3-port N                  S3 port (default 0 = free port)
              --db-name NAME               database to create (default edgefleet)
              --db-user NAME               its owner role (default edgefleet)
              --db-password PW             its password (default: env %s, else edgefleet)
              --s3-access-key KEY          S3 access key (default edgefleet-local)
              --s3-secret-key SECRET       S3 secret key (default: env %s, else random)
              --s3-bucket NAME             bucket to create (default edgefleet)
              --startup-timeout SECONDS    per-service readiness timeout (default 120)
              --stdin-control              read STOP/START <kafka|postgres|s3> and SHUTDOWN lines from stdin;
                                           end of stdin shuts down (used by the LocalStack client)
            """.formatted(ChildProtocol.ENV_DB_PASSWORD, ChildProtocol.ENV_S3_SECRET_KEY);

    private static final PrintStream OUT = System.out;

    private LocalStackMain() {
    }

    /** Parsed command line. */
    record Options(LocalStackConfig config, boolean stdinControl) {
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = parse(args, System.getenv(ChildProtocol.ENV_DB_PASSWORD),
                    System.getenv(ChildProtocol.ENV_S3_SECRET_KEY));
        } catch (IllegalArgumentException | LocalStackException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        LocalStackConfig config = LocalStack.withResolvedPorts(options.config());
        Path dataDir = config.dataDir();
        try {
            Files.createDirectories(dataDir.resolve("logs"));
            Files.deleteIfExists(dataDir.resolve(ChildProtocol.SHUTDOWN_FILE));
            Files.deleteIfExists(dataDir.resolve(ChildProtocol.ENDPOINTS_FILE));
        } catch (IOException e) {
            reply(ChildProtocol.FAILED + ChildProtocol.STARTUP + ": cannot prepare data dir " + dataDir + ": " + e);
            System.exit(1);
            return;
        }
        FileLock lock;
        try {
            lock = lockDataDir(dataDir);
        } catch (IOException | LocalStackException e) {
            reply(ChildProtocol.FAILED + ChildProtocol.STARTUP + ": " + oneLine(e));
            System.exit(1);
            return;
        }
        configureLogging(dataDir.resolve("logs"));
        int rc = run(config, options.stdinControl());
        try {
            lock.release();
        } catch (IOException e) {
            System.err.println("cannot release the data dir lock (released at exit anyway): " + e);
        }
        System.exit(rc);
    }

    /**
     * One stack per data dir: a second broker or postmaster on the same files would corrupt them (Kafka's metadata log
     * is opened before its own lock is checked). The lock is held until the JVM exits.
     */
    static FileLock lockDataDir(Path dataDir) throws IOException {
        Path lockFile = dataDir.resolve(ChildProtocol.LOCK_FILE);
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String owner = new String(Files.readAllBytes(lockFile), StandardCharsets.UTF_8).trim();
            channel.close();
            throw new LocalStackException(LocalStackErrorCode.DATA_DIR_IN_USE, "data dir " + dataDir
                    + " is in use by another local stack (pid " + (owner.isEmpty() ? "unknown" : owner) + ")");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
        return lock;
    }

    static Options parse(String[] args, String envDbPassword, String envS3Secret) {
        LocalStackConfig.Builder b = LocalStackConfig.builder().dataDir(Path.of(".local-stack"));
        if (envDbPassword != null && !envDbPassword.isBlank()) {
            b.dbPassword(envDbPassword);
        }
        if (envS3Secret != null && !envS3Secret.isBlank()) {
            b.s3SecretKey(envS3Secret);
        }
        boolean stdinControl = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--stdin-control")) {
                stdinControl = true;
                continue;
            }
            if (a.equals("--help") || a.equals("-h")) {
                throw new IllegalArgumentException("LocalStackMain: starts Kafka, PostgreSQL and S3 on loopback");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--data-dir" -> b.dataDir(Path.of(v));
                case "--kafka-port" -> b.kafkaPort(port(a, v));
                case "--kafka-controller-port" -> b.kafkaControllerPort(port(a, v));
                case "--postgres-port" -> b.postgresPort(port(a, v));
                case "--s3-port" -> b.s3Port(port(a, v));
                case "--db-name" -> b.dbName(v);
                case "--db-user" -> b.dbUser(v);
                case "--db-password" -> b.dbPassword(v);
                case "--s3-access-key" -> b.s3AccessKey(v);
                case "--s3-secret-key" -> b.s3SecretKey(v);
                case "--s3-bucket" -> b.s3Bucket(v);
                case "--startup-timeout" -> b.startupTimeout(Duration.ofSeconds(port(a, v)));
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        return new Options(b.build(), stdinControl);
    }

    private static int port(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs an integer, got '" + value + "'", e);
        }
    }

    /** Sends the service logs to files under {@code logDir} unless the caller configured logging. */
    private static void configureLogging(Path logDir) {
        System.setProperty("localstack.logDir", logDir.toString());
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "io/edgefleet/localstack/server/logback-local-stack.xml");
        }
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "io/edgefleet/localstack/server/log4j2-local-stack.xml");
        }
    }

    private static int run(LocalStackConfig config, boolean stdinControl) {
        ServerStack stack = new ServerStack(config);
        CountDownLatch shutdown = new CountDownLatch(1);
        Thread hook = new Thread(() -> stopQuietly(stack), "local-stack-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        LocalStackEndpoints endpoints;
        try {
            endpoints = stack.startAll();
            writeEndpoints(config.dataDir(), endpoints);
        } catch (Exception e) {
            reply(ChildProtocol.FAILED + ChildProtocol.STARTUP + ": " + oneLine(e));
            e.printStackTrace(System.err);
            return 1;
        }
        reply(endpoints.toReadyLine());
        System.err.printf("local stack ready in %d ms: kafka=%s jdbc=%s s3=%s (endpoints in %s)%n",
                endpoints.startupMillis(), endpoints.kafkaBootstrapServers(), endpoints.jdbcUrl(),
                endpoints.s3Endpoint(), config.dataDir().resolve(ChildProtocol.ENDPOINTS_FILE));

        ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "local-stack-shutdown-file");
            t.setDaemon(true);
            return t;
        });
        Path shutdownFile = config.dataDir().resolve(ChildProtocol.SHUTDOWN_FILE);
        watcher.scheduleWithFixedDelay(() -> {
            if (Files.exists(shutdownFile)) {
                shutdown.countDown();
            }
        }, 500, 500, TimeUnit.MILLISECONDS);
        if (stdinControl) {
            Thread reader = new Thread(() -> readCommands(stack, shutdown), "local-stack-stdin");
            reader.setDaemon(true);
            reader.start();
        }
        try {
            shutdown.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watcher.shutdownNow();
        int rc = 0;
        try {
            stack.stopAll();
        } catch (LocalStackException e) {
            e.printStackTrace(System.err);
            rc = 3;
        }
        try {
            Files.deleteIfExists(shutdownFile);
            Files.deleteIfExists(config.dataDir().resolve(ChildProtocol.ENDPOINTS_FILE));
        } catch (IOException e) {
            System.err.println("cannot clean up " + shutdownFile + ": " + e);
        }
        System.err.println("local stack stopped");
        return rc;
    }

    private static void readCommands(ServerStack stack, CountDownLatch shutdown) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String cmd = line.trim();
                if (cmd.isEmpty()) {
                    continue;
                }
                if (cmd.equals(ChildProtocol.CMD_SHUTDOWN)) {
                    break;
                }
                reply(execute(stack, cmd));
            }
        } catch (IOException e) {
            System.err.println("stdin of the local stack failed, shutting down: " + e);
        } finally {
            shutdown.countDown();
        }
    }

    /** Executes {@code STOP <component>} / {@code START <component>} and returns the reply line. */
    static String execute(ServerStack stack, String cmd) {
        String[] parts = cmd.split("\\s+");
        try {
            if (parts.length != 2) {
                throw new IllegalArgumentException("expected '<STOP|START> <component>'");
            }
            Component component = Component.fromWireName(parts[1]);
            switch (parts[0]) {
                case ChildProtocol.CMD_STOP -> stack.stop(component);
                case ChildProtocol.CMD_START -> stack.start(component);
                default -> throw new IllegalArgumentException("unknown command " + parts[0]);
            }
            return ChildProtocol.DONE + cmd;
        } catch (Exception e) {
            e.printStackTrace(System.err);
            return ChildProtocol.FAILED + cmd + ": " + oneLine(e);
        }
    }

    private static void writeEndpoints(Path dataDir, LocalStackEndpoints endpoints) throws IOException {
        Path target = dataDir.resolve(ChildProtocol.ENDPOINTS_FILE);
        Path tmp = dataDir.resolve(ChildProtocol.ENDPOINTS_FILE + ".tmp");
        Files.writeString(tmp, endpoints.toJson() + System.lineSeparator(), StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void stopQuietly(ServerStack stack) {
        try {
            stack.stopAll();
        } catch (LocalStackException e) {
            // a shutdown hook cannot report to anyone but stderr
            e.printStackTrace(System.err);
        }
    }

    private static synchronized void reply(String line) {
        OUT.println(line);
        OUT.flush();
    }

    private static String oneLine(Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return msg.replace('\n', ' ').replace('\r', ' ');
    }
}
