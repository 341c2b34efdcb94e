package io.edgefleet.localstack;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running local stack: a child JVM with a real Kafka broker (KRaft), PostgreSQL and an S3 server on loopback ports.
 *
 * <p>Uses only the JDK, so consumers can depend on this artifact with a wildcard exclusion. The child's classpath comes
 * from the {@code runtime.classpath} resource written at build time (override: system property
 * {@value #CLASSPATH_PROPERTY}).
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.start(LocalStackConfig.defaults())) {
 *     String bootstrap = stack.kafkaBootstrapServers();
 *     ...
 * }
 * }</pre>
 *
 * <p>The child dies with this JVM: a shutdown hook stops it, and the child also stops when its stdin reaches end of
 * input (which happens even if this JVM is killed).
 */
public final class LocalStack implements AutoCloseable {
    /** System property overriding the child JVM classpath. */
    public static final String CLASSPATH_PROPERTY = "edgefleet.localstack.classpath";

    private static final System.Logger LOG = System.getLogger(LocalStack.class.getName());
    private static final Duration TERM_GRACE = Duration.ofSeconds(15);
    private static final int LOG_TAIL_LINES = 40;

    private final LocalStackConfig config;
    private final Process process;
    private final Writer stdin;
    private final Thread pump;
    private final Thread shutdownHook;
    private final Path logFile;
    private final BlockingQueue<String> responses;
    private final Object commandLock = new Object();
    private volatile LocalStackEndpoints endpoints;
    private boolean closed;

    private LocalStack(LocalStackConfig config, Process process, Thread pump, Path logFile,
                       BlockingQueue<String> responses) {
        this.config = config;
        this.process = process;
        this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.pump = pump;
        this.logFile = logFile;
        this.responses = responses;
        this.shutdownHook = new Thread(this::close, "local-stack-shutdown-" + process.pid());
    }

    /**
     * Spawns the child JVM and waits until every service accepts connections.
     *
     * @throws LocalStackException if the child cannot be spawned, fails or does not report READY within
     *                             {@link LocalStackConfig#startupTimeout()}; whatever had started is stopped
     */
    public static LocalStack start(LocalStackConfig requested) {
        LocalStackConfig config = withResolvedPorts(requested);
        Path dataDir = config.dataDir();
        Path logFile = dataDir.resolve(ChildProtocol.CHILD_LOG_FILE);
        try {
            Files.createDirectories(dataDir);
            Files.deleteIfExists(dataDir.resolve(ChildProtocol.ENDPOINTS_FILE));
            Files.deleteIfExists(dataDir.resolve(ChildProtocol.SHUTDOWN_FILE));
        } catch (IOException e) {
            throw new LocalStackException(LocalStackErrorCode.IO_FAILURE, "cannot prepare data dir " + dataDir, e);
        }
        List<String> command = childCommand(config, childClasspath());
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dataDir.toFile())
                .redirectErrorStream(true);
        pb.environment().put(ChildProtocol.ENV_DB_PASSWORD, config.dbPassword());
        pb.environment().put(ChildProtocol.ENV_S3_SECRET_KEY, config.s3SecretKey());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new LocalStackException(LocalStackErrorCode.CHILD_START_FAILED,
                    "cannot spawn child JVM " + command.get(0), e);
        }
        CompletableFuture<LocalStackEndpoints> ready = new CompletableFuture<>();
        BlockingQueue<String> responses = new LinkedBlockingQueue<>();
        Thread pump = new Thread(() -> pumpOutput(process, logFile, ready, responses),
                "local-stack-output-" + process.pid());
        pump.setDaemon(true);
        LocalStack stack = new LocalStack(config, process, pump, logFile, responses);
        Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
        pump.start();
        LOG.log(Level.INFO, "Starting local stack (child pid {0}) in {1}; output in {2}",
                process.pid(), dataDir, logFile);
        try {
            stack.endpoints = ready.get(config.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            stack.close();
            throw new LocalStackException(LocalStackErrorCode.STARTUP_TIMEOUT,
                    "child did not report READY within " + config.startupTimeout() + "; last output:\n"
                            + tail(logFile), e);
        } catch (ExecutionException e) {
            stack.close();
            Throwable cause = e.getCause();
            LocalStackException lse = cause instanceof LocalStackException l ? l
                    : new LocalStackException(LocalStackErrorCode.CHILD_START_FAILED, String.valueOf(cause), cause);
            throw new LocalStackException(lse.code(), lse.detail() + "\nlast output of the child (" + logFile + "):\n"
                    + tail(logFile), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stack.close();
            throw new LocalStackException(LocalStackErrorCode.CHILD_START_FAILED, "interrupted while starting", e);
        }
        LOG.log(Level.INFO, "Local stack ready after {0} ms: {1}", stack.endpoints.startupMillis(), stack.endpoints);
        return stack;
    }

    /** Kafka bootstrap servers, e.g. {@code 127.0.0.1:40123}. */
    public String kafkaBootstrapServers() {
        return endpoints.kafkaBootstrapServers();
    }

    /** JDBC URL of the configured database. */
    public String jdbcUrl() {
        return endpoints.jdbcUrl();
    }

    public String dbUser() {
        return endpoints.dbUser();
    }

    public String dbPassword() {
        return endpoints.dbPassword();
    }

    /** S3 endpoint URL (path-style addressing). */
    public String s3Endpoint() {
        return endpoints.s3Endpoint();
    }

    public String s3AccessKey() {
        return endpoints.s3AccessKey();
    }

    public String s3SecretKey() {
        return endpoints.s3SecretKey();
    }

    /** The bucket created at start-up. */
    public String s3Bucket() {
        return endpoints.s3Bucket();
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /** Everything the child reported on its READY line. */
    public LocalStackEndpoints endpoints() {
        return endpoints;
    }

    /** The configuration with the actual ports filled in. */
    public LocalStackConfig config() {
        return config;
    }

    /** Process id of the child JVM. */
    public long childPid() {
        return process.pid();
    }

    /** The file receiving the child's stdout and stderr. */
    public Path logFile() {
        return logFile;
    }

    /** Stops the Kafka broker (the child keeps running; ports stay reserved for {@link #startKafka()}). */
    public void stopKafka() {
        stop(Component.KAFKA);
    }

    /** Starts the Kafka broker again on the same ports and data after {@link #stopKafka()}. */
    public void startKafka() {
        start(Component.KAFKA);
    }

    /**
     * Stops one service for fault injection; blocks until it is stopped.
     *
     * @throws LocalStackException with {@link LocalStackErrorCode#COMMAND_FAILED} if the child reports a failure
     */
    public void stop(Component component) {
        command(ChildProtocol.CMD_STOP, component);
    }

    /**
     * Starts a service stopped by {@link #stop(Component)}; blocks until it accepts connections again.
     *
     * @throws LocalStackException with {@link LocalStackErrorCode#COMMAND_FAILED} if the child reports a failure
     */
    public void start(Component component) {
        command(ChildProtocol.CMD_START, component);
    }

    private void command(String verb, Component component) {
        String cmd = verb + " " + component.wireName();
        synchronized (commandLock) {
            synchronized (this) {
                if (closed) {
                    throw new LocalStackException(LocalStackErrorCode.CLOSED, "local stack is closed");
                }
            }
            responses.clear();
            try {
                stdin.write(cmd + "\n");
                stdin.flush();
            } catch (IOException e) {
                throw new LocalStackException(LocalStackErrorCode.COMMAND_FAILED,
                        "cannot send '" + cmd + "' to the child (is it still alive? " + process.isAlive() + ")", e);
            }
            String response;
            try {
                response = responses.poll(config.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalStackException(LocalStackErrorCode.COMMAND_FAILED, "interrupted waiting for " + cmd, e);
            }
            if (response == null) {
                throw new LocalStackException(LocalStackErrorCode.COMMAND_FAILED,
                        "no answer to '" + cmd + "' within " + config.startupTimeout());
            }
            if (!response.equals(ChildProtocol.DONE + cmd)) {
                throw new LocalStackException(LocalStackErrorCode.COMMAND_FAILED, "'" + cmd + "' failed: " + response);
            }
        }
    }

    /**
     * Stops the child gracefully (end of stdin), then with SIGTERM, then forcibly (including the PostgreSQL processes
     * it spawned). Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (Thread.currentThread() != shutdownHook) {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        List<ProcessHandle> descendants = new ArrayList<>(process.descendants().toList());
        // pg_ctl daemonizes the postmaster, so it is not a descendant of the child: find it by its pid file now, and
        // only if this child owns the data dir (reached READY); a child refused for a busy data dir must not touch it
        if (endpoints != null) {
            postmaster(config.dataDir()).ifPresent(descendants::add);
        }
        try {
            stdin.write(ChildProtocol.CMD_SHUTDOWN + "\n");
            stdin.close();
        } catch (IOException e) {
            // the pipe is broken only if the child is already gone; the waits below decide what to do
            LOG.log(Level.DEBUG, "child stdin already closed: {0}", e.getMessage());
        }
        boolean exited = waitFor(process.toHandle(), config.shutdownTimeout());
        if (!exited) {
            LOG.log(Level.WARNING, "Local stack child {0} did not stop within {1}; sending SIGTERM",
                    process.pid(), config.shutdownTimeout());
            process.destroy();
            exited = waitFor(process.toHandle(), TERM_GRACE);
        }
        if (!exited) {
            LOG.log(Level.WARNING, "Local stack child {0} ignored SIGTERM; killing it", process.pid());
            descendants = union(descendants, process.descendants().toList());
            process.destroyForcibly();
            waitFor(process.toHandle(), TERM_GRACE);
        }
        for (ProcessHandle orphan : descendants) {
            if (orphan.isAlive()) {
                LOG.log(Level.WARNING, "Killing leftover process {0} of the local stack", orphan.pid());
                orphan.destroyForcibly();
                waitFor(orphan, TERM_GRACE);
            }
        }
        try {
            pump.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (exited) {
            LOG.log(Level.INFO, "Local stack child {0} exited with code {1}", process.pid(), process.exitValue());
        }
    }

    /** The live PostgreSQL postmaster of the stack in {@code dataDir}, from {@code pg/postmaster.pid}. */
    static Optional<ProcessHandle> postmaster(Path dataDir) {
        Path pidFile = dataDir.resolve("pg").resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).trim().matches("\\d+")) {
                return Optional.empty();
            }
            return ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().command().map(c -> c.contains("postgres")).orElse(false));
        } catch (IOException e) {
            // the pid file vanished between exists() and read: the postmaster has just shut down
            LOG.log(Level.DEBUG, "cannot read {0}: {1}", pidFile, e.getMessage());
            return Optional.empty();
        }
    }

    private static List<ProcessHandle> union(List<ProcessHandle> a, List<ProcessHandle> b) {
        List<ProcessHandle> all = new ArrayList<>(a);
        for (ProcessHandle h : b) {
            if (!all.contains(h)) {
                all.add(h);
            }
        }
        return all;
    }

    private static boolean waitFor(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for process " + handle.pid() + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }

    private static void pumpOutput(Process process, Path logFile, CompletableFuture<LocalStackEndpoints> ready,
                                   BlockingQueue<String> responses) {
        try (InputStream in = process.getInputStream();
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
             Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                     StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            String line;
            while ((line = reader.readLine()) != null) {
                log.write(line.startsWith(ChildProtocol.READY) ? ChildProtocol.READY + "<endpoints.json>" : line);
                log.write(System.lineSeparator());
                log.flush();
                handleLine(line, ready, responses);
            }
        } catch (IOException | RuntimeException e) {
            ready.completeExceptionally(new LocalStackException(LocalStackErrorCode.IO_FAILURE,
                    "cannot read the child's output into " + logFile, e));
        } finally {
            process.onExit().thenAccept(p -> ready.completeExceptionally(new LocalStackException(
                    LocalStackErrorCode.CHILD_START_FAILED,
                    "child JVM exited with code " + p.exitValue() + " before reporting READY")));
        }
    }

    static void handleLine(String line, CompletableFuture<LocalStackEndpoints> ready, BlockingQueue<String> responses) {
        if (line.startsWith(ChildProtocol.READY)) {
            try {
                ready.complete(LocalStackEndpoints.parseReadyLine(line).orElseThrow());
            } catch (LocalStackException e) {
                ready.completeExceptionally(e);
            }
        } else if (line.startsWith(ChildProtocol.FAILED + ChildProtocol.STARTUP)) {
            String reason = line.substring((ChildProtocol.FAILED + ChildProtocol.STARTUP).length())
                    .replaceFirst("^:\\s*", "");
            LocalStackErrorCode code = LocalStackErrorCode.SERVICE_START_FAILED;
            for (LocalStackErrorCode candidate : LocalStackErrorCode.values()) {
                String prefix = "[" + candidate.key() + "] ";
                if (reason.startsWith(prefix)) {
                    code = candidate;
                    reason = reason.substring(prefix.length());
                    break;
                }
            }
            ready.completeExceptionally(new LocalStackException(code, reason));
        } else if (line.startsWith(ChildProtocol.DONE) || line.startsWith(ChildProtocol.FAILED)) {
            responses.offer(line);
        }
    }

    static LocalStackConfig withResolvedPorts(LocalStackConfig c) {
        int[] free = LoopbackPorts.pickFree(4);
        return c.toBuilder()
                .kafkaPort(c.kafkaPort() != 0 ? c.kafkaPort() : free[0])
                .kafkaControllerPort(c.kafkaControllerPort() != 0 ? c.kafkaControllerPort() : free[1])
                .postgresPort(c.postgresPort() != 0 ? c.postgresPort() : free[2])
                .s3Port(c.s3Port() != 0 ? c.s3Port() : free[3])
                .build();
    }

    static List<String> childCommand(LocalStackConfig c, String classpath) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + c.childMaxHeap());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Djava.net.preferIPv4Stack=true");
        cmd.add("-Djava.awt.headless=true");
        cmd.addAll(c.extraJvmArgs());
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(ChildProtocol.MAIN_CLASS);
        cmd.add("--data-dir");
        cmd.add(c.dataDir().toString());
        cmd.add("--kafka-port");
        cmd.add(Integer.toString(c.kafkaPort()));
        cmd.add("--kafka-controller-port");
        cmd.add(Integer.toString(c.kafkaControllerPort()));
        cmd.add("--postgres-port");
        cmd.add(Integer.toString(c.postgresPort()));
        cmd.add("--s3-port");
        cmd.add(Integer.toString(c.s3Port()));
        cmd.add("--db-name");
        cmd.add(c.dbName());
        cmd.add("--db-user");
        cmd.add(c.dbUser());
        cmd.add("--s3-access-key");
        cmd.add(c.s3AccessKey());
        cmd.add("--s3-bucket");
        cmd.add(c.s3Bucket());
        cmd.add("--stdin-control");
        return cmd;
    }

    /** The child's classpath: this module's classes plus the {@code runtime.classpath} resource. */
    static String childClasspath() {
        String override = System.getProperty(CLASSPATH_PROPERTY);
        if (override != null && !override.isBlank()) {
            return override;
        }
        URL resource = LocalStack.class.getResource("runtime.classpath");
        if (resource == null) {
            throw new LocalStackException(LocalStackErrorCode.CLASSPATH_UNAVAILABLE,
                    "resource io/edgefleet/localstack/runtime.classpath is missing (was local-stack built with Maven?)");
        }
        String dependencies;
        try (InputStream in = resource.openStream()) {
            dependencies = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new LocalStackException(LocalStackErrorCode.CLASSPATH_UNAVAILABLE, "cannot read " + resource, e);
        }
        for (String entry : dependencies.split(File.pathSeparator)) {
            if (!Files.exists(Path.of(entry))) {
                throw new LocalStackException(LocalStackErrorCode.CLASSPATH_UNAVAILABLE,
                        "child classpath entry " + entry + " does not exist (rebuild local-stack on this machine)");
            }
        }
        return ownLocation() + File.pathSeparator + dependencies;
    }

    /** The jar or classes directory holding this class. */
    static Path ownLocation() {
        URL classFile = LocalStack.class.getResource(LocalStack.class.getSimpleName() + ".class");
        try {
            if (classFile != null && "jar".equals(classFile.getProtocol())) {
                String spec = classFile.toString();
                return Path.of(new URI(spec.substring("jar:".length(), spec.indexOf("!/"))));
            }
            if (classFile != null && "file".equals(classFile.getProtocol())) {
                Path p = Path.of(classFile.toURI());
                int depth = LocalStack.class.getName().split("\\.").length;
                for (int i = 0; i < depth; i++) {
                    p = p.getParent();
                }
                return p;
            }
            CodeSource source = LocalStack.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                return Path.of(source.getLocation().toURI());
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new LocalStackException(LocalStackErrorCode.CLASSPATH_UNAVAILABLE,
                    "cannot locate the local-stack classes from " + classFile, e);
        }
        throw new LocalStackException(LocalStackErrorCode.CLASSPATH_UNAVAILABLE,
                "cannot locate the local-stack classes (class URL " + classFile + "); set -D" + CLASSPATH_PROPERTY);
    }

    private static String tail(Path file) {
        if (!Files.exists(file)) {
            return "(no output)";
        }
        Deque<String> last = new ArrayDeque<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                last.addLast(line);
                if (last.size() > LOG_TAIL_LINES) {
                    last.removeFirst();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
        return String.join(System.lineSeparator(), last);
    }
}
