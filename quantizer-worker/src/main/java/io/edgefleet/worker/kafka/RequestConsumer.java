package io.edgefleet.worker.kafka;

import io.edgefleet.schemas.Topics;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.schemas.events.FleetEvent;
import io.edgefleet.worker.analysis.AnalysisOutcome;
import io.edgefleet.worker.analysis.AnalysisRunner;
import io.edgefleet.worker.config.WorkerConfig;
import io.edgefleet.worker.jobs.BuildOutcome;
import io.edgefleet.worker.jobs.BuildRunner;
import io.edgefleet.worker.jobs.WorkerStats;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The consumer loop of the worker: one consumer of the worker group subscribed to both job topics, {@link
 * Topics#BUILD_REQUESTS} and {@link Topics#ANALYSIS_REQUESTS}. For every record, in order: route it (build, analysis or
 * dead letter), make its outcome durable (result event on {@link Topics#BUILD_RESULTS} / {@link
 * Topics#ANALYSIS_RESULTS}, or dead-letter copy on {@code <topic>.dlq}, acknowledged by all in-sync replicas), then
 * commit its offset. If publishing fails, the offset is not committed and the consumer seeks back to the record, which
 * is processed again (cheaply: a completed build is re-answered from its manifest, an analysis from its stored object).
 * Records are processed one at a time ({@code max.poll.records=1}): jobs are CPU-bound and sized by {@code
 * interpreter-threads}, so one job per worker process at a time; capacity grows with more workers in the group. A job
 * always ends within its timeout, below {@code max.poll.interval.ms}.
 */
public final class RequestConsumer implements Runnable {
  /** The topics the worker group consumes. */
  public static final List<String> TOPICS = List.of(Topics.BUILD_REQUESTS, Topics.ANALYSIS_REQUESTS);

  private static final Logger LOG = Logger.getLogger(RequestConsumer.class.getName());

  private final WorkerConfig config;
  private final BuildRunner runner;
  private final AnalysisRunner analysisRunner;
  private final EventCodec codec;
  private final WorkerStats stats;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final String source;
  private volatile boolean stopping;

  public RequestConsumer(
      WorkerConfig config, BuildRunner runner, AnalysisRunner analysisRunner, EventCodec codec, WorkerStats stats) {
    this.config = config;
    this.runner = runner;
    this.analysisRunner = analysisRunner;
    this.codec = codec;
    this.stats = stats;
    this.source = "/quantizer-worker/" + config.workerId();
    this.consumer = new KafkaConsumer<>(consumerProperties(config));
    try {
      this.producer = new KafkaProducer<>(producerProperties(config));
    } catch (KafkaException e) {
      consumer.close();
      throw e;
    }
  }

  /** Consumer settings: manual commits, one record per poll, generous poll interval. */
  static Properties consumerProperties(WorkerConfig config) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId() + "-consumer");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
    p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, Long.toString(config.maxPollInterval().toMillis()));
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  /** Producer settings: idempotent, acknowledged by all in-sync replicas. */
  static Properties producerProperties(WorkerConfig config) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, config.workerId() + "-producer");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  @Override
  public void run() {
    consumer.subscribe(TOPICS, new RebalanceLogger());
    LOG.info("worker " + config.workerId() + " consuming " + TOPICS + " as group " + config.groupId());
    try {
      while (!stopping) {
        ConsumerRecords<String, byte[]> records = consumer.poll(config.pollTimeout());
        for (TopicPartition partition : records.partitions()) {
          for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
            if (!process(record)) {
              // not durable: read the record again on the next poll
              consumer.seek(partition, record.offset());
              break;
            }
          }
        }
      }
    } catch (WakeupException | InterruptException e) {
      if (!stopping) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.info("interrupted during a job: the record stays uncommitted and will be redelivered");
    } finally {
      LOG.info("worker " + config.workerId() + " stopping: " + stats);
      // an interrupt used to abandon a build must not abort leaving the group or flushing the producer
      boolean interrupted = Thread.interrupted();
      try {
        consumer.close();
      } finally {
        producer.close();
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** Handles one record; returns false if its outcome could not be made durable (offset not committed). */
  private boolean process(ConsumerRecord<String, byte[]> record) throws InterruptedException {
    Routing routing = Routing.of(record.topic(), record.key(), record.value(), codec);
    ProducerRecord<String, byte[]> out;
    if (routing instanceof Routing.DeadLetter) {
      String reason = ((Routing.DeadLetter) routing).reason();
      LOG.warning("dead-lettering " + record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + reason);
      out = DeadLetters.of(record, reason);
    } else if (routing instanceof Routing.Build) {
      BuildOutcome outcome = runner.run(((Routing.Build) routing).request());
      out = result(Topics.BUILD_RESULTS, outcome.event());
    } else if (routing instanceof Routing.Analysis) {
      AnalysisOutcome outcome = analysisRunner.run(((Routing.Analysis) routing).request());
      out = result(Topics.ANALYSIS_RESULTS, outcome.event());
    } else {
      throw new IllegalStateException("unknown routing " + routing);
    }
    try {
      producer.send(out).get();
    } catch (InterruptException e) {
      throw e;
    } catch (ExecutionException | KafkaException e) {
      LOG.log(Level.WARNING, "cannot publish to " + out.topic() + " for " + record.topic() + "-" + record.partition()
          + "@" + record.offset() + "; the record will be processed again", e);
      return false;
    }
    if (routing instanceof Routing.DeadLetter) {
      stats.recordDeadLetter();
    }
    commit(record);
    return true;
  }

  private ProducerRecord<String, byte[]> result(String topic, FleetEvent event) {
    return new ProducerRecord<>(topic, event.key(), codec.encode(event, source));
  }

  private void commit(ConsumerRecord<String, byte[]> record) {
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    try {
      consumer.commitSync(Map.of(tp, new OffsetAndMetadata(record.offset() + 1)));
    } catch (CommitFailedException e) {
      // the partition moved to another worker: it will see the record again and re-answer it (manifest / stored-analysis fast path)
      LOG.warning("offset commit of " + tp + "@" + record.offset() + " failed after a rebalance: " + e.getMessage());
    }
  }

  /** Asks the loop to stop; safe from any thread. */
  public void stop() {
    stopping = true;
    consumer.wakeup();
  }

  private static final class RebalanceLogger implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        LOG.info("partitions revoked: " + partitions);
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      LOG.info("partitions assigned: " + partitions);
    }
  }
}
