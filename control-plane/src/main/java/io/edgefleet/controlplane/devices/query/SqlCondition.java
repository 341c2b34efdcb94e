package io.edgefleet.controlplane.devices.query;

import java.util.Map;

/**
 * A parameterised SQL condition over the {@code device d} table: user values only ever travel in {@code params}
 * (named {@code :pN}), never in {@code sql}.
 */
public record SqlCondition(String sql, Map<String, Object> params) {
  public SqlCondition {
    params = Map.copyOf(params);
  }
}
