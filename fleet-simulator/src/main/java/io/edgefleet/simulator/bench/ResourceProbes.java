package io.edgefleet.simulator.bench;

import io.edgefleet.simulator.SimulatorErrorCode;
import io.edgefleet.simulator.SimulatorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalLong;

/** Footprint probes: PostgreSQL database size and a process's resident memory. */
public final class ResourceProbes {
  private ResourceProbes() {}

  /** {@code pg_database_size(current_database())} in bytes. */
  public static long postgresDatabaseBytes(String jdbcUrl, String user, String password) {
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT pg_database_size(current_database())")) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      throw new SimulatorException(SimulatorErrorCode.PROBE_FAILED, "cannot read the database size: " + e.getMessage(), e);
    }
  }

  /** Row count of a table (0 if it does not exist). */
  public static long rowCount(String jdbcUrl, String user, String password, String table) {
    if (!table.matches("[a-z_]+")) {
      throw new IllegalArgumentException("bad table name " + table);
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, password);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
      r.next();
      return r.getLong(1);
    } catch (SQLException e) {
      return 0;
    }
  }

  /** Resident set size ({@code VmRSS}) of a process, from {@code /proc/<pid>/status}. */
  public static OptionalLong residentBytes(long pid) {
    return statusField(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
  }

  /** Peak resident set size ({@code VmHWM}) of a process. */
  public static OptionalLong peakResidentBytes(long pid) {
    return statusField(Path.of("/proc", Long.toString(pid), "status"), "VmHWM:");
  }

  static OptionalLong statusField(Path status, String field) {
    if (!Files.isReadable(status)) {
      return OptionalLong.empty();
    }
    try {
      return parseKiB(Files.readString(status, StandardCharsets.UTF_8), field);
    } catch (IOException e) {
      throw new SimulatorException(SimulatorErrorCode.PROBE_FAILED, "cannot read " + status + ": " + e, e);
    }
  }

  /** The value of a {@code Field:   1234 kB} line, in bytes. */
  static OptionalLong parseKiB(String status, String field) {
    for (String line : status.split("\n")) {
      if (line.startsWith(field)) {
        String[] parts = line.substring(field.length()).trim().split("\\s+");
        return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
      }
    }
    return OptionalLong.empty();
  }
}
