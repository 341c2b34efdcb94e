package io.edgefleet.localstack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the running services listen and how to log in; what the child JVM reports on its READY line and writes to
 * {@code <dataDir>/endpoints.json}.
 *
 * @param kafkaBootstrapServers Kafka PLAINTEXT bootstrap servers, e.g. {@code 127.0.0.1:40123}
 * @param jdbcUrl               JDBC URL of the {@code dbName} database
 * @param dbUser                database owner role
 * @param dbPassword            password of {@code dbUser}
 * @param s3Endpoint            S3 endpoint URL (path-style), e.g. {@code http://127.0.0.1:40125}
 * @param s3AccessKey           S3 access key
 * @param s3SecretKey           S3 secret key
 * @param s3Bucket              the bucket created at start-up
 * @param dataDir               absolute data directory of the stack
 * @param pid                   process id of the child JVM
 * @param startupMillis         wall-clock milliseconds the child needed from launch to READY
 */
public record LocalStackEndpoints(
        String kafkaBootstrapServers,
        String jdbcUrl,
        String dbUser,
        String dbPassword,
        String s3Endpoint,
        String s3AccessKey,
        String s3SecretKey,
        String s3Bucket,
        String dataDir,
        long pid,
        long startupMillis) {

    /** Prefix of the single machine-readable line the child prints once every service accepts connections. */
    public static final String READY_PREFIX = "LOCAL-STACK-READY ";

    public LocalStackEndpoints {
        Objects.requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(dbUser, "dbUser");
        Objects.requireNonNull(dbPassword, "dbPassword");
        Objects.requireNonNull(s3Endpoint, "s3Endpoint");
        Objects.requireNonNull(s3AccessKey, "s3AccessKey");
        Objects.requireNonNull(s3SecretKey, "s3SecretKey");
        Objects.requireNonNull(s3Bucket, "s3Bucket");
        Objects.requireNonNull(dataDir, "dataDir");
    }

    /** This record as a flat JSON object (one line). */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kafkaBootstrapServers", kafkaBootstrapServers);
        m.put("jdbcUrl", jdbcUrl);
        m.put("dbUser", dbUser);
        m.put("dbPassword", dbPassword);
        m.put("s3Endpoint", s3Endpoint);
        m.put("s3AccessKey", s3AccessKey);
        m.put("s3SecretKey", s3SecretKey);
        m.put("s3Bucket", s3Bucket);
        m.put("dataDir", dataDir);
        m.put("pid", pid);
        m.put("startupMillis", startupMillis);
        return FlatJson.write(m);
    }

    /** The READY line for these endpoints. */
    public String toReadyLine() {
        return READY_PREFIX + toJson();
    }

    /**
     * Parses a JSON object written by {@link #toJson()}; unknown keys are ignored so that newer children stay readable.
     *
     * @throws LocalStackException with {@link LocalStackErrorCode#MALFORMED_ENDPOINTS} if a key is missing or mistyped
     */
    public static LocalStackEndpoints fromJson(String json) {
        Map<String, Object> m;
        try {
            m = FlatJson.parse(json);
        } catch (IllegalArgumentException e) {
            throw new LocalStackException(LocalStackErrorCode.MALFORMED_ENDPOINTS, e.getMessage(), e);
        }
        return new LocalStackEndpoints(
                str(m, "kafkaBootstrapServers"),
                str(m, "jdbcUrl"),
                str(m, "dbUser"),
                str(m, "dbPassword"),
                str(m, "s3Endpoint"),
                str(m, "s3AccessKey"),
                str(m, "s3SecretKey"),
                str(m, "s3Bucket"),
                str(m, "dataDir"),
                num(m, "pid"),
                num(m, "startupMillis"));
    }

    /**
     * Parses a line of the child's output: empty if it is not a READY line.
     *
     * @throws LocalStackException if the line is a READY line with a malformed payload
     */
    public static Optional<LocalStackEndpoints> parseReadyLine(String line) {
        if (line == null || !line.startsWith(READY_PREFIX)) {
            return Optional.empty();
        }
        return Optional.of(fromJson(line.substring(READY_PREFIX.length())));
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof String s) {
            return s;
        }
        throw new LocalStackException(LocalStackErrorCode.MALFORMED_ENDPOINTS,
                "endpoints JSON: '" + key + "' must be a string but is " + (v == null ? "missing/null" : v));
    }

    private static long num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v instanceof Long l) {
            return l;
        }
        throw new LocalStackException(LocalStackErrorCode.MALFORMED_ENDPOINTS,
                "endpoints JSON: '" + key + "' must be an integer but is " + (v == null ? "missing/null" : v));
    }

    @Override
    public String toString() {
        // secrets are not printed by toString
        return "LocalStackEndpoints[kafka=" + kafkaBootstrapServers + ", jdbc=" + jdbcUrl + ", dbUser=" + dbUser
                + ", s3=" + s3Endpoint + ", s3AccessKey=" + s3AccessKey + ", bucket=" + s3Bucket
                + ", dataDir=" + dataDir + ", pid=" + pid + ", startupMillis=" + startupMillis + "]";
    }
}
