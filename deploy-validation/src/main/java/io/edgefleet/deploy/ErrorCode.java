package io.edgefleet.deploy;

/** Why rendering or validating the deployment manifests could not proceed. Keys are stable. */
public enum ErrorCode {
  MANIFEST_UNREADABLE("manifest-unreadable"),
  INVALID_YAML("invalid-yaml"),
  INVALID_RESOURCE("invalid-resource"),
  KUSTOMIZATION_INVALID("kustomization-invalid"),
  UNSUPPORTED_KUSTOMIZE_FEATURE("unsupported-kustomize-feature"),
  PATCH_TARGET_NOT_FOUND("patch-target-not-found"),
  DUPLICATE_RESOURCE("duplicate-resource"),
  SCHEMA_UNAVAILABLE("schema-unavailable"),
  CATALOG_UNAVAILABLE("catalog-unavailable");

  private final String key;

  ErrorCode(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }
}
