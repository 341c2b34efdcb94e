package io.edgefleet.worker.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.quantize.QuantizationMode;
import io.edgefleet.quantizer.mixed.CliErrorCode;
import io.edgefleet.quantizer.mixed.QuantizerCliException;
import io.edgefleet.schemas.events.AnalysisFailed;
import io.edgefleet.schemas.events.BuildFailed;
import io.edgefleet.worker.WorkerErrorCode;
import io.edgefleet.worker.WorkerException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FailureMappingTest {
  private static final String KEY = "a".repeat(64);
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void shouldMapQuantizationErrorsToFinalFailuresWithTheirKey() {
    BuildFailed f =
        FailureMapping.toBuildFailed(
            KEY, new QuantizationException(ErrorCode.CORRUPT_MODEL, "truncated flatbuffer"), "w1", NOW);

    assertThat(f.buildKey()).isEqualTo(KEY);
    assertThat(f.errorCode()).isEqualTo("quantization.corrupt-model");
    assertThat(f.retriable()).isFalse();
    assertThat(f.message()).contains("truncated flatbuffer");
    assertThat(f.workerId()).isEqualTo("w1");
    assertThat(f.failedAt()).isEqualTo(NOW);
  }

  @Test
  void shouldMapWorkerErrorsWithTheirRetriability() {
    BuildFailed mismatch =
        FailureMapping.toBuildFailed(KEY, new WorkerException(WorkerErrorCode.MODEL_HASH_MISMATCH, "sha differs"), "w", NOW);
    BuildFailed storage =
        FailureMapping.toBuildFailed(KEY, new WorkerException(WorkerErrorCode.STORAGE_UNAVAILABLE, "refused"), "w", NOW);
    BuildFailed timeout =
        FailureMapping.toBuildFailed(KEY, new WorkerException(WorkerErrorCode.BUILD_TIMEOUT, "slow"), "w", NOW);

    assertThat(mismatch.errorCode()).isEqualTo("worker.model-hash-mismatch");
    assertThat(mismatch.retriable()).isFalse();
    assertThat(storage.errorCode()).isEqualTo("worker.storage-unavailable");
    assertThat(storage.retriable()).isTrue();
    assertThat(timeout.errorCode()).isEqualTo("worker.build-timeout");
    assertThat(timeout.retriable()).isTrue();
  }

  @Test
  void shouldMapUnexpectedErrorsToAnInternalErrorWithoutLeakingClassNames() {
    BuildFailed f = FailureMapping.toBuildFailed(KEY, new IllegalStateException("boom"), "w", NOW);

    assertThat(f.errorCode()).isEqualTo("worker.internal-error");
    assertThat(f.retriable()).isFalse();
    assertThat(f.message()).contains("boom").doesNotContain("IllegalStateException");
  }

  @Test
  void shouldTruncateVeryLongMessages() {
    BuildFailed f =
        FailureMapping.toBuildFailed(
            KEY, new QuantizationException(ErrorCode.UNSUPPORTED_OP, "x".repeat(10_000)), "w", NOW);

    assertThat(f.message()).hasSize(FailureMapping.MAX_MESSAGE_CHARS).endsWith("...");
  }

  @Test
  void shouldRejectMixedAndUnknownPlanModesAsUnsupported() {
    assertThat(BuildJob.modeOf("FULL_INT8")).isEqualTo(QuantizationMode.FULL_INT8);
    assertThat(BuildJob.modeOf("FLOAT16")).isEqualTo(QuantizationMode.FLOAT16);
    assertThatThrownBy(() -> BuildJob.modeOf("MIXED"))
        .isInstanceOfSatisfying(
            QuantizationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_MODE))
        .hasMessageContaining("MIXED");
    assertThatThrownBy(() -> BuildJob.modeOf("INT3"))
        .isInstanceOfSatisfying(
            QuantizationException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_MODE));
  }

  @Test
  void shouldDropTheBatchDimensionFromReferenceShapes() {
    assertThat(BuildJob.sampleShape(new int[] {1, 10})).containsExactly(10);
    assertThat(BuildJob.sampleShape(new int[] {10})).containsExactly(10);
    assertThat(BuildJob.sampleShape(new int[] {1, 4, 4, 3})).containsExactly(4, 4, 3);
  }

  @Test
  void shouldMapMixedPipelineErrorsAndAnalysisFailures() {
    AnalysisFailed cli =
        FailureMapping.toAnalysisFailed(
            "m1", KEY, new QuantizerCliException(CliErrorCode.UNSUPPORTED_PRECISION, "int16x8"), "w", NOW);
    AnalysisFailed storage =
        FailureMapping.toAnalysisFailed(
            "m1", KEY, new WorkerException(WorkerErrorCode.STORAGE_UNAVAILABLE, "down"), "w", NOW);
    AnalysisFailed timeout =
        FailureMapping.toAnalysisFailed(
            "m1", KEY, new WorkerException(WorkerErrorCode.ANALYSIS_TIMEOUT, "slow"), "w", NOW);
    AnalysisFailed corrupt =
        FailureMapping.toAnalysisFailed(
            "m1", KEY, new QuantizationException(ErrorCode.CORRUPT_MODEL, "bad"), "w", NOW);

    assertThat(cli.errorCode()).isEqualTo("quantizer-cli.unsupported-precision");
    assertThat(cli.retriable()).isFalse();
    assertThat(cli.modelId()).isEqualTo("m1");
    assertThat(cli.modelSha256()).isEqualTo(KEY);
    assertThat(storage.errorCode()).isEqualTo("worker.storage-unavailable");
    assertThat(storage.retriable()).isTrue();
    assertThat(timeout.errorCode()).isEqualTo("worker.analysis-timeout");
    assertThat(timeout.retriable()).isTrue();
    assertThat(corrupt.errorCode()).isEqualTo("quantization.corrupt-model");
    assertThat(corrupt.retriable()).isFalse();
    assertThat(FailureMapping.isExpected(new IllegalStateException("bug"))).isFalse();
  }
}
