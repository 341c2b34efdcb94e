package io.edgefleet.controlplane.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points the control plane under test at the keys of {@link TestAuth} (authentication stays on). */
public class AuthKeysResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    return TestAuth.config();
  }

  @Override
  public void stop() {
    // the keys live in target/test-auth and are reused by the next test class
  }
}
