package io.edgefleet.controlplane.auth;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Operator roles, read from the {@code groups} claim of the operator's JWT. Each role includes the ones below it:
 * admin ⊃ operator ⊃ viewer ({@link RoleHierarchyAugmentor}); {@link #DEVICE} is the group of device tokens.
 */
public final class Roles {
  /** Read-only access to every operator GET. */
  public static final String VIEWER = "viewer";
  /** Viewer + upload models, create and drive rollouts. */
  public static final String OPERATOR = "operator";
  /** Operator + device enrolment decisions, preauthorisation, decommissioning. */
  public static final String ADMIN = "admin";
  /** Group of device tokens; never granted to an operator token by the hierarchy. */
  public static final String DEVICE = "device";

  private Roles() {}

  /** {@code roles} plus every role they imply. */
  public static Set<String> withImplied(Set<String> roles) {
    Set<String> out = new LinkedHashSet<>(roles);
    if (roles.contains(ADMIN)) {
      out.add(OPERATOR);
      out.add(VIEWER);
    }
    if (roles.contains(OPERATOR)) {
      out.add(VIEWER);
    }
    return out;
  }
}
