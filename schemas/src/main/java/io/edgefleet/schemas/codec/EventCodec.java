package io.edgefleet.schemas.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.edgefleet.schemas.events.EventType;
import io.edgefleet.schemas.events.FleetEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Encodes events as CloudEvents 1.0 structured-mode JSON and decodes them back, validating both the envelope and the
 * {@code data} against the event type's JSON Schema. Unknown JSON fields are tolerated (forward compatibility); unknown
 * event types, schema violations and malformed documents raise {@link EventDecodingException}.
 *
 * <p>Thread-safe; create one per application.
 */
public final class EventCodec {

  /** Values larger than this are rejected before parsing. */
  public static final int MAX_EVENT_BYTES = 1 << 20;

  public static final String SPEC_VERSION = "1.0";
  public static final String CONTENT_TYPE = "application/json";

  private static final ObjectMapper SHARED_MAPPER = newMapper();

  private final ObjectMapper mapper;
  private final Map<EventType, JsonSchema> schemas = new EnumMap<>(EventType.class);
  private final Clock clock;

  public EventCodec() {
    this(Clock.systemUTC());
  }

  public EventCodec(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
    this.mapper = SHARED_MAPPER;
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    for (EventType type : EventType.values()) {
      try (InputStream in = EventCodec.class.getResourceAsStream(type.schemaResource())) {
        if (in == null) {
          throw new IllegalStateException("missing JSON Schema resource " + type.schemaResource());
        }
        schemas.put(type, factory.getSchema(in));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + type.schemaResource(), e);
      }
    }
  }

  /** A Jackson mapper configured as the contracts expect (ISO-8601 instants, unknown fields ignored). */
  public static ObjectMapper newMapper() {
    ObjectMapper m = new ObjectMapper();
    m.registerModule(new JavaTimeModule());
    m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    m.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    return m;
  }

  /** The mapper used for event data; also suitable for REST payloads of the shared API records. */
  public static ObjectMapper mapper() {
    return SHARED_MAPPER;
  }

  /** Encodes {@code event} with a fresh id and the current time. */
  public byte[] encode(FleetEvent event, String source) {
    return encode(event, new EventEnvelope(UUID.randomUUID().toString(), source, EventType.of(event).type(), event.key(), clock.instant()));
  }

  /** Encodes {@code event} with the given attributes ({@code type} and {@code subject} are taken from the event). */
  public byte[] encode(FleetEvent event, EventEnvelope attributes) {
    EventType type = EventType.of(event);
    ObjectNode root = mapper.createObjectNode();
    root.put("specversion", SPEC_VERSION);
    root.put("id", attributes.id());
    root.put("source", attributes.source());
    root.put("type", type.type());
    root.put("subject", event.key());
    root.put("time", attributes.time().toString());
    root.put("datacontenttype", CONTENT_TYPE);
    root.set("data", mapper.valueToTree(event));
    try {
      return mapper.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + type.type(), e);
    }
  }

  /** Decodes any known event. */
  public DecodedEvent<FleetEvent> decode(byte[] value) throws EventDecodingException {
    return decode(value, FleetEvent.class);
  }

  /** Decodes an event and checks that it is of the expected family (e.g. {@code BuildEvent.class}). */
  public <E extends FleetEvent> DecodedEvent<E> decode(byte[] value, Class<E> expected) throws EventDecodingException {
    if (value == null || value.length == 0) {
      throw new EventDecodingException(DecodeFailure.EMPTY, "record value is empty");
    }
    if (value.length > MAX_EVENT_BYTES) {
      throw new EventDecodingException(
          DecodeFailure.OVERSIZED, "record value has " + value.length + " bytes, limit " + MAX_EVENT_BYTES);
    }
    JsonNode root;
    try {
      root = mapper.readTree(value);
    } catch (IOException e) {
      throw new EventDecodingException(DecodeFailure.MALFORMED_JSON, "not JSON: " + firstLine(e.getMessage()), e);
    }
    if (root == null || !root.isObject()) {
      throw new EventDecodingException(DecodeFailure.INVALID_ENVELOPE, "a CloudEvent must be a JSON object");
    }
    String specVersion = text(root, "specversion");
    if (!SPEC_VERSION.equals(specVersion)) {
      throw new EventDecodingException(
          DecodeFailure.UNSUPPORTED_SPEC_VERSION, "specversion must be " + SPEC_VERSION + " but was " + specVersion);
    }
    String id = requireText(root, "id");
    String source = requireText(root, "source");
    String typeName = requireText(root, "type");
    String timeText = requireText(root, "time");
    Instant time;
    try {
      time = Instant.parse(timeText);
    } catch (DateTimeParseException e) {
      throw new EventDecodingException(DecodeFailure.INVALID_ENVELOPE, "time is not an RFC 3339 instant: " + timeText, e);
    }
    String contentType = text(root, "datacontenttype");
    if (contentType != null && !contentType.startsWith(CONTENT_TYPE)) {
      throw new EventDecodingException(DecodeFailure.INVALID_ENVELOPE, "datacontenttype must be JSON but was " + contentType);
    }
    EventType type =
        EventType.fromType(typeName)
            .orElseThrow(() -> new EventDecodingException(DecodeFailure.UNKNOWN_TYPE, "unknown event type " + typeName));
    if (!expected.isAssignableFrom(type.recordClass())) {
      throw new EventDecodingException(
          DecodeFailure.UNEXPECTED_TYPE, "event type " + typeName + " is not a " + expected.getSimpleName());
    }
    JsonNode data = root.get("data");
    if (data == null || !data.isObject()) {
      throw new EventDecodingException(DecodeFailure.INVALID_ENVELOPE, "data must be a JSON object");
    }
    String nonFinite = firstNonFiniteNumber(data, "data");
    if (nonFinite != null) {
      // JSON has no Infinity/NaN: a literal like 1e309 overflows to one, which no field of ours may hold
      throw new EventDecodingException(DecodeFailure.SCHEMA_VIOLATION, typeName + ": " + nonFinite
          + " is not a finite number");
    }
    Set<ValidationMessage> violations;
    try {
      violations = schemas.get(type).validate(data);
    } catch (RuntimeException e) {
      throw new EventDecodingException(DecodeFailure.SCHEMA_VIOLATION, typeName + ": the data cannot be validated: "
          + firstLine(String.valueOf(e.getMessage())), e);
    }
    if (!violations.isEmpty()) {
      String details = violations.stream().map(ValidationMessage::getMessage).sorted().limit(5).collect(Collectors.joining("; "));
      throw new EventDecodingException(DecodeFailure.SCHEMA_VIOLATION, typeName + ": " + details);
    }
    FleetEvent event;
    try {
      event = mapper.treeToValue(data, type.recordClass());
    } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
      throw new EventDecodingException(DecodeFailure.MAPPING_FAILED, typeName + ": " + firstLine(e.getMessage()), e);
    }
    String subject = text(root, "subject");
    return new DecodedEvent<>(new EventEnvelope(id, source, typeName, subject, time), expected.cast(event));
  }

  /** Validates the {@code data} JSON of an event type against its schema; returns the violations (empty if valid). */
  public Set<String> validateData(EventType type, JsonNode data) {
    return schemas.get(type).validate(data).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
  }

  private static String text(JsonNode root, String field) {
    JsonNode n = root.get(field);
    return n != null && n.isTextual() ? n.asText() : null;
  }

  private static String requireText(JsonNode root, String field) throws EventDecodingException {
    String v = text(root, field);
    if (v == null || v.isBlank()) {
      throw new EventDecodingException(DecodeFailure.INVALID_ENVELOPE, "missing CloudEvents attribute '" + field + "'");
    }
    return v;
  }

  /** Path of the first number in {@code node} that is infinite or NaN, or null. */
  private static String firstNonFiniteNumber(JsonNode node, String path) {
    if (node.isNumber()) {
      return node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue()) ? path : null;
    }
    if (node.isContainerNode()) {
      java.util.Iterator<java.util.Map.Entry<String, JsonNode>> fields = node.fields();
      if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          String found = firstNonFiniteNumber(node.get(i), path + "[" + i + "]");
          if (found != null) {
            return found;
          }
        }
      }
      while (fields.hasNext()) {
        java.util.Map.Entry<String, JsonNode> e = fields.next();
        String found = firstNonFiniteNumber(e.getValue(), path + "." + e.getKey());
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
