package io.edgefleet.controlplane.storage;

import io.edgefleet.controlplane.config.EdgefleetConfig;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.minio.BucketExistsArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Object storage through the MinIO Java SDK: content-addressed uploads and presigned downloads. The bucket is created
 * at start-up if missing.
 */
@ApplicationScoped
public class ObjectStorage {
  private static final Logger LOG = Logger.getLogger(ObjectStorage.class);

  private final MinioClient client;
  private final MinioClient presigner;
  private final String bucket;
  private final Duration presignExpiry;

  public ObjectStorage(EdgefleetConfig config) {
    EdgefleetConfig.S3 s3 = config.s3();
    this.bucket = s3.bucket();
    this.presignExpiry = s3.presignExpiry();
    this.client = MinioClient.builder().endpoint(s3.endpoint()).credentials(s3.accessKey(), s3.secretKey())
        .region(s3.region()).build();
    this.presigner = MinioClient.builder().endpoint(s3.publicEndpoint().orElse(s3.endpoint()))
        .credentials(s3.accessKey(), s3.secretKey()).region(s3.region()).build();
  }

  void onStart(@Observes StartupEvent event) {
    ensureBucket();
  }

  /** Creates the bucket if it does not exist. */
  public void ensureBucket() {
    try {
      if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
        client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        LOG.infof("created bucket %s", bucket);
      }
    } catch (ErrorResponseException e) {
      if (!"BucketAlreadyOwnedByYou".equals(e.errorResponse().code())
          && !"BucketAlreadyExists".equals(e.errorResponse().code())) {
        throw unavailable("cannot create bucket " + bucket, e);
      }
    } catch (IOException | GeneralSecurityException | io.minio.errors.MinioException e) {
      throw unavailable("cannot create bucket " + bucket, e);
    }
  }

  /** Stores {@code bytes} under {@code key} unless an object already exists there (content-addressed keys). */
  public void putIfAbsent(String key, byte[] bytes, String contentType) {
    if (exists(key)) {
      return;
    }
    try {
      client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).contentType(contentType)
          .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
    } catch (IOException | GeneralSecurityException | io.minio.errors.MinioException e) {
      throw unavailable("cannot store " + key, e);
    }
  }

  /** Whether an object exists under {@code key}. */
  public boolean exists(String key) {
    try {
      client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
      return true;
    } catch (ErrorResponseException e) {
      String code = e.errorResponse().code();
      if ("NoSuchKey".equals(code) || "NoSuchObject".equals(code) || e.response().code() == 404) {
        return false;
      }
      throw unavailable("cannot stat " + key, e);
    } catch (IOException | GeneralSecurityException | io.minio.errors.MinioException e) {
      throw unavailable("cannot stat " + key, e);
    }
  }

  /** A presigned GET URL valid for {@link #presignExpiry()}. */
  public String presignedGet(String key) {
    try {
      return presigner.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Method.GET).bucket(bucket)
          .object(key).expiry((int) presignExpiry.toSeconds()).build());
    } catch (IOException | GeneralSecurityException | io.minio.errors.MinioException e) {
      throw unavailable("cannot presign " + key, e);
    }
  }

  public Duration presignExpiry() {
    return presignExpiry;
  }

  public String bucket() {
    return bucket;
  }

  private static ControlPlaneException unavailable(String message, Exception cause) {
    return new ControlPlaneException(ErrorCode.STORAGE_UNAVAILABLE, message + ": " + cause.getMessage(), cause);
  }
}
