package io.edgefleet.localstack.server;

import io.edgefleet.localstack.Component;
import io.edgefleet.localstack.LocalStackErrorCode;
import io.edgefleet.localstack.LocalStackException;
import io.edgefleet.localstack.LoopbackPorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (zonky embedded binaries) with its data directory under the stack's data dir. The data
 * directory is kept across restarts: {@code initdb} runs only when it holds no cluster yet, so a restart on the same
 * data dir keeps the data. The database and role are created if missing.
 *
 * <p>The cluster is initialised by zonky with {@code trust} authentication on loopback, so the password is accepted but
 * not checked; it is still set on the role so that clients configured with it work unchanged against a real server.
 */
public final class PostgresNode implements ServiceNode {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresNode.class);

    private final Path dataDir;
    private final Path logFile;
    private final int port;
    private final String dbName;
    private final String dbUser;
    private final String dbPassword;
    private final Duration readyTimeout;
    private EmbeddedPostgres postgres;

    public PostgresNode(Path dataDir, Path logFile, int port, String dbName, String dbUser, String dbPassword,
                        Duration readyTimeout) {
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.port = port;
        this.dbName = dbName;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
        this.readyTimeout = readyTimeout;
    }

    @Override
    public Component component() {
        return Component.POSTGRES;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + LoopbackPorts.HOST + ":" + port + "/" + dbName;
    }

    @Override
    public synchronized boolean running() {
        return postgres != null;
    }

    @Override
    public synchronized void start() throws IOException, SQLException, InterruptedException {
        if (postgres != null) {
            return;
        }
        Files.createDirectories(dataDir.getParent());
        Files.createDirectories(logFile.getParent());
        stopOrphanedPostmaster();
        ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(logFile.toFile());
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", LoopbackPorts.HOST)
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "off")
                .setPGStartupWait(readyTimeout)
                .setOutputRedirector(log)
                .setErrorRedirector(log)
                .start();
        postgres = pg;
        try {
            ensureDatabase(pg);
            try (Connection c = DriverManager.getConnection(jdbcUrl(), dbUser, dbPassword);
                 Statement st = c.createStatement()) {
                st.execute("SELECT 1");
            }
        } catch (SQLException | RuntimeException e) {
            stop();
            throw e;
        }
        LOG.info("PostgreSQL up on {} (data {})", jdbcUrl(), dataDir);
    }

    private void ensureDatabase(EmbeddedPostgres pg) throws SQLException {
        // identifiers and password are validated by LocalStackConfig (lower-case identifiers, no quotes/backslashes)
        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            if (exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", dbUser)) {
                execute(c, "ALTER ROLE " + dbUser + " WITH LOGIN PASSWORD '" + dbPassword + "'");
            } else {
                execute(c, "CREATE ROLE " + dbUser + " WITH LOGIN PASSWORD '" + dbPassword + "'");
            }
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", dbName)) {
                execute(c, "CREATE DATABASE " + dbName + " OWNER " + dbUser);
                LOG.info("Created database {} owned by {}", dbName, dbUser);
            }
        }
    }

    private static boolean exists(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /**
     * If an earlier child was killed without stopping PostgreSQL, its postmaster still holds this data directory. Stop
     * it (fast shutdown via SIGINT is not available from Java, so SIGTERM then SIGKILL) before starting a new one.
     */
    private void stopOrphanedPostmaster() throws IOException, InterruptedException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).trim().matches("\\d+")) {
            return;
        }
        long pid = Long.parseLong(lines.get(0).trim());
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        boolean isPostgres = handle.flatMap(h -> h.info().command()).map(cmd -> cmd.contains("postgres")).orElse(false);
        if (handle.isEmpty() || !isPostgres) {
            return;
        }
        ProcessHandle h = handle.get();
        LOG.warn("Stopping orphaned postmaster {} still holding {}", pid, dataDir);
        h.destroy();
        if (!awaitExit(h, Duration.ofSeconds(10))) {
            h.destroyForcibly();
            if (!awaitExit(h, Duration.ofSeconds(10))) {
                throw new LocalStackException(LocalStackErrorCode.SERVICE_START_FAILED,
                        "orphaned postmaster " + pid + " holding " + dataDir + " cannot be stopped");
            }
        }
    }

    private static boolean awaitExit(ProcessHandle h, Duration timeout) throws InterruptedException {
        try {
            h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for process " + h.pid() + " failed", e.getCause());
        }
    }

    @Override
    public synchronized void stop() throws IOException {
        EmbeddedPostgres pg = postgres;
        if (pg == null) {
            return;
        }
        postgres = null;
        pg.close();
        LOG.info("PostgreSQL on port {} stopped", port);
    }
}
