package io.edgefleet.controlplane.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgefleet.schemas.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ChannelTopicsTest {

  private static Properties config() throws IOException {
    Properties p = new Properties();
    try (InputStream in = ChannelTopicsTest.class.getResourceAsStream("/application.properties")) {
      p.load(in);
    }
    return p;
  }

  @Test
  void shouldBindEveryChannelToTheTopicOfTheCatalog() throws IOException {
    Properties p = config();

    assertThat(p.getProperty("mp.messaging.outgoing." + Channels.BUILD_REQUESTS_OUT + ".topic"))
        .isEqualTo(Topics.BUILD_REQUESTS);
    assertThat(p.getProperty("mp.messaging.outgoing." + Channels.DESIRED_STATE_OUT + ".topic"))
        .isEqualTo(Topics.DESIRED_STATE);
    assertThat(p.getProperty("mp.messaging.incoming." + Channels.BUILD_RESULTS_IN + ".topic"))
        .isEqualTo(Topics.BUILD_RESULTS);
    assertThat(p.getProperty("mp.messaging.incoming." + Channels.DEVICE_FEEDBACK_IN + ".topic"))
        .isEqualTo(Topics.DEVICE_FEEDBACK);
    assertThat(p.getProperty("mp.messaging.incoming." + Channels.TELEMETRY_IN + ".topic"))
        .isEqualTo(Topics.TELEMETRY);
    assertThat(p.getProperty("mp.messaging.outgoing." + Channels.ANALYSIS_REQUESTS_OUT + ".topic"))
        .isEqualTo(Topics.ANALYSIS_REQUESTS);
    assertThat(p.getProperty("mp.messaging.incoming." + Channels.ANALYSIS_RESULTS_IN + ".topic"))
        .isEqualTo(Topics.ANALYSIS_RESULTS);
  }

  @Test
  void shouldDeadLetterEveryIncomingChannelToItsDlqTopic() throws IOException {
    Properties p = config();
    for (String channel : new String[] {Channels.BUILD_RESULTS_IN, Channels.DEVICE_FEEDBACK_IN, Channels.TELEMETRY_IN,
        Channels.ANALYSIS_RESULTS_IN}) {
      String prefix = "mp.messaging.incoming." + channel + ".";
      assertThat(p.getProperty(prefix + "failure-strategy")).as(channel).isEqualTo("dead-letter-queue");
      assertThat(p.getProperty(prefix + "dead-letter-queue.topic")).as(channel)
          .isEqualTo(Topics.deadLetter(p.getProperty(prefix + "topic")));
    }
  }

  @Test
  void shouldMakeEveryProducerIdempotent() throws IOException {
    Properties p = config();
    for (String channel : new String[] {Channels.BUILD_REQUESTS_OUT, Channels.DESIRED_STATE_OUT,
        Channels.ANALYSIS_REQUESTS_OUT}) {
      assertThat(p.getProperty("mp.messaging.outgoing." + channel + ".enable.idempotence")).isEqualTo("true");
      assertThat(p.getProperty("mp.messaging.outgoing." + channel + ".acks")).isEqualTo("all");
    }
  }
}
