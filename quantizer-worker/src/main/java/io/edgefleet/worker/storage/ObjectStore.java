package io.edgefleet.worker.storage;

import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.WorkerException;
import io.edgefleet.worker.config.WorkerConfig;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.InternalException;
import io.minio.errors.InvalidResponseException;
import io.minio.errors.MinioException;
import io.minio.errors.ServerException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The worker's view of the S3 bucket (MinIO Java SDK). Failures are classified once, here: network, IO and 5xx
 * errors become {@link WorkerErrorCode#STORAGE_UNAVAILABLE} (transient, retried by callers); other refusals become
 * {@link WorkerErrorCode#STORAGE_REJECTED}; absent objects are reported as such, not as errors.
 *
 * <p>Each PUT is atomic per object: a reader sees the whole object or none of it.
 */
public final class ObjectStore {
  /** Objects larger than this are not read into memory. */
  public static final long MAX_OBJECT_BYTES = 1L << 30;

  private static final Set<String> NOT_FOUND = Set.of("NoSuchKey", "NoSuchObject");
  private static final long CONNECT_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(10);
  private static final long IO_TIMEOUT_MS = TimeUnit.SECONDS.toMillis(120);

  private final MinioClient client;
  private final String bucket;

  public ObjectStore(MinioClient client, String bucket) {
    this.client = Objects.requireNonNull(client);
    this.bucket = Objects.requireNonNull(bucket);
  }

  /** A store for the configured endpoint and bucket (no network access yet). */
  public static ObjectStore connect(WorkerConfig.S3Settings s3) {
    MinioClient client =
        MinioClient.builder()
            .endpoint(s3.endpoint().toString())
            .credentials(s3.accessKey(), s3.secretKey())
            .region(s3.region())
            .build();
    client.setTimeout(CONNECT_TIMEOUT_MS, IO_TIMEOUT_MS, IO_TIMEOUT_MS);
    return new ObjectStore(client, s3.bucket());
  }

  public String bucket() {
    return bucket;
  }

  /** Creates the bucket if it does not exist. */
  public void ensureBucket() {
    try {
      if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
        client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
      }
    } catch (ErrorResponseException e) {
      // a concurrent worker created it first
      if (!"BucketAlreadyOwnedByYou".equals(e.errorResponse().code())
          && !"BucketAlreadyExists".equals(e.errorResponse().code())) {
        throw classify("create bucket " + bucket, e);
      }
    } catch (MinioException | IOException | GeneralSecurityException e) {
      throw classify("create bucket " + bucket, e);
    }
  }

  /** The object's bytes, or empty if it does not exist. */
  public Optional<byte[]> find(String key) {
    try (GetObjectResponse in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
      String length = in.headers().get("Content-Length");
      if (length != null && Long.parseLong(length) > MAX_OBJECT_BYTES) {
        throw new WorkerException(
            WorkerErrorCode.STORAGE_REJECTED, "object " + key + " has " + length + " bytes, limit " + MAX_OBJECT_BYTES);
      }
      return Optional.of(in.readAllBytes());
    } catch (ErrorResponseException e) {
      if (NOT_FOUND.contains(e.errorResponse().code())) {
        return Optional.empty();
      }
      throw classify("get " + key, e);
    } catch (MinioException | IOException | GeneralSecurityException e) {
      throw classify("get " + key, e);
    }
  }

  /** The object's bytes; a missing object is {@link WorkerErrorCode#INPUT_MISSING}. */
  public byte[] get(String key) {
    return find(key)
        .orElseThrow(
            () -> new WorkerException(WorkerErrorCode.INPUT_MISSING, "object " + key + " not found in bucket " + bucket));
  }

  /** Whether the object exists. */
  public boolean exists(String key) {
    try {
      client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
      return true;
    } catch (ErrorResponseException e) {
      if (NOT_FOUND.contains(e.errorResponse().code())) {
        return false;
      }
      throw classify("stat " + key, e);
    } catch (MinioException | IOException | GeneralSecurityException e) {
      throw classify("stat " + key, e);
    }
  }

  /** Stores (or atomically replaces) an object. */
  public void put(String key, byte[] bytes, String contentType) {
    try {
      client.putObject(
          PutObjectArgs.builder()
              .bucket(bucket)
              .object(key)
              .stream(new ByteArrayInputStream(bytes), bytes.length, -1)
              .contentType(contentType)
              .build());
    } catch (MinioException | IOException | GeneralSecurityException e) {
      throw classify("put " + key, e);
    }
  }

  /** Maps an SDK failure to the worker's error codes. */
  static WorkerException classify(String operation, Exception e) {
    String what = operation + " in bucket: " + e;
    if (e instanceof ErrorResponseException) {
      ErrorResponseException ere = (ErrorResponseException) e;
      int status = ere.response() == null ? 0 : ere.response().code();
      String code = ere.errorResponse().code();
      if (status >= 500 || "SlowDown".equals(code) || "InternalError".equals(code) || "ServiceUnavailable".equals(code)) {
        return new WorkerException(WorkerErrorCode.STORAGE_UNAVAILABLE, what, e);
      }
      return new WorkerException(WorkerErrorCode.STORAGE_REJECTED, what, e);
    }
    if (e instanceof IOException
        || e instanceof ServerException
        || e instanceof InsufficientDataException
        || e instanceof InvalidResponseException
        || e instanceof InternalException) {
      return new WorkerException(WorkerErrorCode.STORAGE_UNAVAILABLE, what, e);
    }
    return new WorkerException(WorkerErrorCode.STORAGE_REJECTED, what, e);
  }
}
