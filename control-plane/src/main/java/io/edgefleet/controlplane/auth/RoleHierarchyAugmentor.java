package io.edgefleet.controlplane.auth;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** Adds the roles implied by an operator's roles ({@link Roles#withImplied}), so endpoints name only the minimum. */
@ApplicationScoped
public class RoleHierarchyAugmentor implements SecurityIdentityAugmentor {
  @Override
  public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
    if (identity.isAnonymous()) {
      return Uni.createFrom().item(identity);
    }
    Set<String> roles = Roles.withImplied(identity.getRoles());
    if (roles.equals(identity.getRoles())) {
      return Uni.createFrom().item(identity);
    }
    return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRoles(roles).build());
  }
}
