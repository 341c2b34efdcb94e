package io.edgefleet.deploy.kustomize;

/**
 * A container image reference split into name, tag and digest: {@code repo/name:tag@sha256:...}. A colon in the
 * first path segment followed by a slash is a registry port, not a tag.
 *
 * @param name image name without tag or digest
 * @param tag tag, or null
 * @param digest digest such as {@code sha256:...}, or null
 */
public record ImageRef(String name, String tag, String digest) {

  public static ImageRef parse(String reference) {
    String rest = reference;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    return new ImageRef(rest, tag, digest);
  }

  /** Tag and digest as written after the name ({@code ":tag"}, {@code "@sha256:..."}, both, or empty). */
  public String suffix() {
    return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
  }

  /** Pinned: a digest, or a tag other than {@code latest}. */
  public boolean pinned() {
    return digest != null || (tag != null && !tag.isEmpty() && !"latest".equals(tag));
  }
}
