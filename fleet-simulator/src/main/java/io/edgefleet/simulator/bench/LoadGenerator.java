package io.edgefleet.simulator.bench;

import io.edgefleet.schemas.codec.EventCodec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Open-loop load on {@code GET /api/devices/{id}/assignment}, meant to run as its own JVM (a second process next to
 * the simulated fleet). Requests leave at a fixed rate whatever the server does; each latency is measured from the
 * request's <em>intended</em> send time, so a stalled server shows up in the percentiles (no coordinated omission).
 * Like an agent, it sends {@code If-None-Match} with the last ETag it saw for the device.
 *
 * <pre>
 * options: --url URL  --device-prefix sim-  --devices N  --rate R (req/s)  --duration S  --warmup S  --max-in-flight M
 * </pre>
 * Prints one line {@code LOADGEN-RESULT {json}} on stdout.
 */
public final class LoadGenerator {
  /** Prefix of the result line. */
  public static final String RESULT_PREFIX = "LOADGEN-RESULT ";

  private LoadGenerator() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = Options.parse(args, Map.of("--url", "", "--device-tokens", "",
        "--rate", "1000", "--duration", "30", "--warmup", "5", "--max-in-flight", "1024"));
    URI base = URI.create(Options.require(o, "--url"));
    // one line per device: <deviceId> TAB <device token>; every request acts as a random one of them
    List<String[]> identities = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(Options.require(o, "--device-tokens")), StandardCharsets.UTF_8)) {
      String[] parts = line.split("\t", 2);
      if (parts.length == 2) {
        identities.add(parts);
      }
    }
    if (identities.isEmpty()) {
      throw new IllegalArgumentException("--device-tokens names no device");
    }
    double rate = Double.parseDouble(o.get("--rate"));
    long durationNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(o.get("--duration")));
    long warmupNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(o.get("--warmup")));
    int maxInFlight = Integer.parseInt(o.get("--max-in-flight"));

    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "loadgen-http");
      t.setDaemon(true);
      return t;
    });
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
        .connectTimeout(Duration.ofSeconds(5)).build();
    Map<String, String> etags = new ConcurrentHashMap<>();
    Recorder recorder = new Recorder(3);
    AtomicLong ok = new AtomicLong();
    AtomicLong notModified = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong skipped = new AtomicLong();
    AtomicLong inFlight = new AtomicLong();
    Phaser pending = new Phaser(1);

    long intervalNanos = (long) (1e9 / rate);
    long start = System.nanoTime();
    long measureFrom = start + warmupNanos;
    long end = measureFrom + durationNanos;
    long sent = 0;
    long measuredSent = 0;
    for (long i = 0; ; i++) {
      long intended = start + i * intervalNanos;
      if (intended >= end) {
        break;
      }
      long wait = intended - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      boolean measured = intended >= measureFrom;
      if (inFlight.get() >= maxInFlight) {
        if (measured) {
          skipped.incrementAndGet();
        }
        continue;
      }
      String[] identity = identities.get(ThreadLocalRandom.current().nextInt(identities.size()));
      String device = identity[0];
      HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/api/devices/" + device + "/assignment"))
          .timeout(Duration.ofSeconds(30)).header("Accept", "application/json")
          .header("Authorization", "Bearer " + identity[1]).GET();
      String etag = etags.get(device);
      if (etag != null) {
        b.header("If-None-Match", etag);
      }
      inFlight.incrementAndGet();
      pending.register();
      sent++;
      if (measured) {
        measuredSent++;
      }
      http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) -> {
        long latencyMicros = Math.max(1, (System.nanoTime() - intended) / 1000);
        inFlight.decrementAndGet();
        if (measured) {
          if (e != null || (r.statusCode() != 200 && r.statusCode() != 304)) {
            errors.incrementAndGet();
          } else {
            recorder.recordValue(latencyMicros);
            if (r.statusCode() == 304) {
              notModified.incrementAndGet();
            } else {
              ok.incrementAndGet();
            }
          }
        }
        if (e == null && r.statusCode() == 200) {
          r.headers().firstValue("ETag").ifPresent(t -> etags.put(device, t));
        }
        pending.arriveAndDeregister();
      });
    }
    long sendEnd = System.nanoTime();
    try {
      pending.awaitAdvanceInterruptibly(pending.arrive(), 60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      errors.addAndGet(inFlight.get());
    }
    Histogram h = recorder.getIntervalHistogram();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("targetRate", rate);
    result.put("durationSeconds", durationNanos / 1e9);
    result.put("sent", sent);
    result.put("measuredRequests", measuredSent);
    result.put("achievedRate", measuredSent / ((sendEnd - measureFrom) / 1e9));
    result.put("ok200", ok.get());
    result.put("notModified304", notModified.get());
    result.put("errors", errors.get());
    result.put("skippedInFlightBound", skipped.get());
    result.put("p50Micros", h.getTotalCount() == 0 ? null : h.getValueAtPercentile(50));
    result.put("p90Micros", h.getTotalCount() == 0 ? null : h.getValueAtPercentile(90));
    result.put("p99Micros", h.getTotalCount() == 0 ? null : h.getValueAtPercentile(99));
    result.put("p999Micros", h.getTotalCount() == 0 ? null : h.getValueAtPercentile(99.9));
    result.put("maxMicros", h.getTotalCount() == 0 ? null : h.getMaxValue());
    System.out.println(RESULT_PREFIX + EventCodec.mapper().writeValueAsString(result));
    executor.shutdownNow();
  }
}
