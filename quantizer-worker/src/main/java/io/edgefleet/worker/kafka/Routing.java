package io.edgefleet.worker.kafka;

import io.edgefleet.schemas.Topics;
import io.edgefleet.schemas.codec.DecodeFailure;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.codec.EventDecodingException;
import io.edgefleet.schemas.events.AnalysisEvent;
import io.edgefleet.schemas.events.AnalysisRequested;
import io.edgefleet.schemas.events.BuildEvent;
import io.edgefleet.schemas.events.BuildKeys;
import io.edgefleet.schemas.events.BuildRequested;
import io.edgefleet.worker.WorkerErrorCode;
import java.util.Objects;

/**
 * Where a consumed record goes: to a build, to a model analysis, or to the dead-letter topic with a reason. Pure logic,
 * no I/O.
 */
public sealed interface Routing permits Routing.Build, Routing.Analysis, Routing.DeadLetter {

  /** A valid build request. */
  record Build(BuildRequested request) implements Routing {
    public Build {
      Objects.requireNonNull(request, "request");
    }
  }

  /** A valid analysis request. */
  record Analysis(AnalysisRequested request) implements Routing {
    public Analysis {
      Objects.requireNonNull(request, "request");
    }
  }

  /**
   * A poison record.
   *
   * @param reason stable failure key followed by a human-readable message ({@code <key>: <message>})
   */
  record DeadLetter(String reason) implements Routing {
    public DeadLetter {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Routes one record by its topic: {@link Topics#ANALYSIS_REQUESTS} records as analysis requests ({@link
   * #ofAnalysis}), everything else as build requests ({@link #of(String, byte[], EventCodec)}).
   */
  static Routing of(String topic, String key, byte[] value, EventCodec codec) {
    return Topics.ANALYSIS_REQUESTS.equals(topic) ? ofAnalysis(key, value, codec) : of(key, value, codec);
  }

  /**
   * Routes one record of the analysis-requests topic: undecodable values, events other than {@code
   * fleet.analysis.requested.v1}, and requests whose record key differs from {@code modelSha256} are dead letters.
   */
  static Routing ofAnalysis(String key, byte[] value, EventCodec codec) {
    AnalysisEvent event;
    try {
      event = codec.decode(value, AnalysisEvent.class).event();
    } catch (EventDecodingException e) {
      return new DeadLetter(e.getMessage());
    }
    if (!(event instanceof AnalysisRequested)) {
      return new DeadLetter(
          DecodeFailure.UNEXPECTED_TYPE.key() + ": " + event.getClass().getSimpleName()
              + " is not an analysis request (expected fleet.analysis.requested.v1)");
    }
    AnalysisRequested request = (AnalysisRequested) event;
    if (!request.modelSha256().equals(key)) {
      return new DeadLetter(
          WorkerErrorCode.INVALID_REQUEST.key() + ": record key '" + key + "' differs from modelSha256 "
              + request.modelSha256());
    }
    return new Analysis(request);
  }

  /**
   * Routes one build-requests record: undecodable values, events other than {@code fleet.build.requested.v1}, and requests whose
   * record key or build key contradict the contract ({@code key == buildKey == BuildKeys.of(modelSha256, planHash)})
   * are dead letters.
   */
  static Routing of(String key, byte[] value, EventCodec codec) {
    BuildEvent event;
    try {
      event = codec.decode(value, BuildEvent.class).event();
    } catch (EventDecodingException e) {
      return new DeadLetter(e.getMessage());
    }
    if (!(event instanceof BuildRequested)) {
      return new DeadLetter(
          DecodeFailure.UNEXPECTED_TYPE.key() + ": " + event.getClass().getSimpleName()
              + " is not a build request (expected fleet.build.requested.v1)");
    }
    BuildRequested request = (BuildRequested) event;
    if (!request.buildKey().equals(key)) {
      return new DeadLetter(
          WorkerErrorCode.INVALID_REQUEST.key() + ": record key '" + key + "' differs from buildKey " + request.buildKey());
    }
    String expected = BuildKeys.of(request.modelSha256(), request.plan().planHash());
    if (!expected.equals(request.buildKey())) {
      return new DeadLetter(
          WorkerErrorCode.INVALID_REQUEST.key() + ": buildKey " + request.buildKey()
              + " is not sha256(modelSha256:planHash) = " + expected);
    }
    return new Build(request);
  }
}
