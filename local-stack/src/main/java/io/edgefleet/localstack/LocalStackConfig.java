package io.edgefleet.localstack;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Configuration of a {@link LocalStack}. Build one with {@link #builder()} or take {@link #defaults()}.
 *
 * @param dataDir             where all service data and logs go; reused across runs (PostgreSQL data, Kafka logs and S3
 *                            objects survive a restart on the same directory). Default: a fresh directory under
 *                            {@code java.io.tmpdir} (not created until {@link LocalStack#start})
 * @param kafkaPort           Kafka PLAINTEXT listener port; 0 = pick a free loopback port
 * @param kafkaControllerPort KRaft CONTROLLER listener port; 0 = pick a free loopback port
 * @param postgresPort        PostgreSQL port; 0 = pick a free loopback port
 * @param s3Port              S3 server port; 0 = pick a free loopback port
 * @param dbName              database created at start-up (default {@code edgefleet})
 * @param dbUser              owner role of {@code dbName} (default {@code edgefleet})
 * @param dbPassword          password of {@code dbUser} (default {@code edgefleet}; local development only)
 * @param s3AccessKey         S3 access key (default {@code edgefleet-local})
 * @param s3SecretKey         S3 secret key (default: random, generated per configuration)
 * @param s3Bucket            bucket created at start-up (default {@code edgefleet})
 * @param childMaxHeap        {@code -Xmx} of the child JVM (default {@code 768m})
 * @param extraJvmArgs        further JVM options for the child
 * @param startupTimeout      how long {@link LocalStack#start} waits for READY (default 120 s)
 * @param shutdownTimeout     how long {@link LocalStack#close} waits for a graceful stop before killing (default 60 s)
 */
public record LocalStackConfig(
        Path dataDir,
        int kafkaPort,
        int kafkaControllerPort,
        int postgresPort,
        int s3Port,
        String dbName,
        String dbUser,
        String dbPassword,
        String s3AccessKey,
        String s3SecretKey,
        String s3Bucket,
        String childMaxHeap,
        List<String> extraJvmArgs,
        Duration startupTimeout,
        Duration shutdownTimeout) {

    public static final String DEFAULT_DB_NAME = "edgefleet";
    public static final String DEFAULT_DB_USER = "edgefleet";
    public static final String DEFAULT_DB_PASSWORD = "edgefleet";
    public static final String DEFAULT_S3_ACCESS_KEY = "edgefleet-local";
    public static final String DEFAULT_S3_BUCKET = "edgefleet";
    public static final String DEFAULT_CHILD_MAX_HEAP = "768m";
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(120);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern SQL_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]");
    private static final Pattern NO_QUOTES = Pattern.compile("[^'\\\\\\s]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    public LocalStackConfig {
        require(dataDir != null, "dataDir must be set");
        dataDir = dataDir.toAbsolutePath().normalize();
        Set<Integer> fixedPorts = new HashSet<>();
        for (int p : new int[] {kafkaPort, kafkaControllerPort, postgresPort, s3Port}) {
            require(p >= 0 && p <= 65535, "port " + p + " is out of range 0..65535");
            require(p == 0 || fixedPorts.add(p), "port " + p + " is configured for two services");
        }
        require(dbName != null && SQL_IDENTIFIER.matcher(dbName).matches(),
                "dbName must be a lower-case SQL identifier, got '" + dbName + "'");
        require(dbUser != null && SQL_IDENTIFIER.matcher(dbUser).matches(),
                "dbUser must be a lower-case SQL identifier, got '" + dbUser + "'");
        require(dbPassword != null && NO_QUOTES.matcher(dbPassword).matches(),
                "dbPassword must be non-blank without quotes, backslashes or whitespace");
        require(s3AccessKey != null && NO_QUOTES.matcher(s3AccessKey).matches(),
                "s3AccessKey must be non-blank without quotes, backslashes or whitespace");
        require(s3SecretKey != null && NO_QUOTES.matcher(s3SecretKey).matches(),
                "s3SecretKey must be non-blank without quotes, backslashes or whitespace");
        require(s3Bucket != null && BUCKET.matcher(s3Bucket).matches(),
                "s3Bucket must be a valid S3 bucket name, got '" + s3Bucket + "'");
        require(childMaxHeap != null && HEAP.matcher(childMaxHeap).matches(),
                "childMaxHeap must look like 768m or 1g, got '" + childMaxHeap + "'");
        extraJvmArgs = List.copyOf(Objects.requireNonNullElse(extraJvmArgs, List.of()));
        require(startupTimeout != null && !startupTimeout.isNegative() && !startupTimeout.isZero(),
                "startupTimeout must be positive");
        require(shutdownTimeout != null && !shutdownTimeout.isNegative() && !shutdownTimeout.isZero(),
                "shutdownTimeout must be positive");
    }

    /** All defaults: fresh temp data dir, free ports, edgefleet/edgefleet database, random S3 secret. */
    public static LocalStackConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder initialised with this configuration's values. */
    public Builder toBuilder() {
        return new Builder()
                .dataDir(dataDir)
                .kafkaPort(kafkaPort)
                .kafkaControllerPort(kafkaControllerPort)
                .postgresPort(postgresPort)
                .s3Port(s3Port)
                .dbName(dbName)
                .dbUser(dbUser)
                .dbPassword(dbPassword)
                .s3AccessKey(s3AccessKey)
                .s3SecretKey(s3SecretKey)
                .s3Bucket(s3Bucket)
                .childMaxHeap(childMaxHeap)
                .extraJvmArgs(extraJvmArgs)
                .startupTimeout(startupTimeout)
                .shutdownTimeout(shutdownTimeout);
    }

    /** A fresh, not yet existing directory under {@code java.io.tmpdir}. */
    static Path defaultDataDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "edgefleet-local-stack-" + randomHex(6));
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new LocalStackException(LocalStackErrorCode.INVALID_CONFIG, message);
        }
    }

    @Override
    public String toString() {
        return "LocalStackConfig[dataDir=" + dataDir + ", kafkaPort=" + kafkaPort + ", kafkaControllerPort="
                + kafkaControllerPort + ", postgresPort=" + postgresPort + ", s3Port=" + s3Port + ", dbName=" + dbName
                + ", dbUser=" + dbUser + ", s3AccessKey=" + s3AccessKey + ", s3Bucket=" + s3Bucket + ", childMaxHeap="
                + childMaxHeap + ", extraJvmArgs=" + extraJvmArgs + ", startupTimeout=" + startupTimeout
                + ", shutdownTimeout=" + shutdownTimeout + "]";
    }

    /** Mutable builder; every setter is optional. */
    public static final class Builder {
        private Path dataDir;
        private int kafkaPort;
        private int kafkaControllerPort;
        private int postgresPort;
        private int s3Port;
        private String dbName = DEFAULT_DB_NAME;
        private String dbUser = DEFAULT_DB_USER;
        private String dbPassword = DEFAULT_DB_PASSWORD;
        private String s3AccessKey = DEFAULT_S3_ACCESS_KEY;
        private String s3SecretKey;
        private String s3Bucket = DEFAULT_S3_BUCKET;
        private String childMaxHeap = DEFAULT_CHILD_MAX_HEAP;
        private List<String> extraJvmArgs = new ArrayList<>();
        private Duration startupTimeout = DEFAULT_STARTUP_TIMEOUT;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

        private Builder() {
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder kafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        public Builder kafkaControllerPort(int port) {
            this.kafkaControllerPort = port;
            return this;
        }

        public Builder postgresPort(int port) {
            this.postgresPort = port;
            return this;
        }

        public Builder s3Port(int port) {
            this.s3Port = port;
            return this;
        }

        public Builder dbName(String dbName) {
            this.dbName = dbName;
            return this;
        }

        public Builder dbUser(String dbUser) {
            this.dbUser = dbUser;
            return this;
        }

        public Builder dbPassword(String dbPassword) {
            this.dbPassword = dbPassword;
            return this;
        }

        public Builder s3AccessKey(String s3AccessKey) {
            this.s3AccessKey = s3AccessKey;
            return this;
        }

        public Builder s3SecretKey(String s3SecretKey) {
            this.s3SecretKey = s3SecretKey;
            return this;
        }

        public Builder s3Bucket(String s3Bucket) {
            this.s3Bucket = s3Bucket;
            return this;
        }

        public Builder childMaxHeap(String childMaxHeap) {
            this.childMaxHeap = childMaxHeap;
            return this;
        }

        public Builder extraJvmArgs(List<String> extraJvmArgs) {
            this.extraJvmArgs = new ArrayList<>(extraJvmArgs);
            return this;
        }

        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = startupTimeout;
            return this;
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        /**
         * @throws LocalStackException with {@link LocalStackErrorCode#INVALID_CONFIG} if a value is invalid
         */
        public LocalStackConfig build() {
            return new LocalStackConfig(
                    dataDir != null ? dataDir : defaultDataDir(),
                    kafkaPort,
                    kafkaControllerPort,
                    postgresPort,
                    s3Port,
                    dbName,
                    dbUser,
                    dbPassword,
                    s3AccessKey,
                    s3SecretKey != null ? s3SecretKey : randomHex(20),
                    s3Bucket,
                    childMaxHeap,
                    extraJvmArgs,
                    startupTimeout,
                    shutdownTimeout);
        }
    }
}
