package io.edgefleet.simulator.fleet;

import java.util.List;
import java.util.Map;

/**
 * Preauthorises simulated devices' keys before they enrol, e.g. {@code OperatorClient::preauthorize} with an admin
 * token: entries are {@code {deviceId, publicKey}} as {@code POST /api/devices/preauthorized} takes them.
 */
@FunctionalInterface
public interface Preauthorizer {
  void preauthorize(List<Map<String, String>> entries) throws Exception;
}
