package io.edgefleet.controlplane.devices;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.edgefleet.controlplane.config.EdgefleetConfig;
import io.edgefleet.controlplane.errors.ControlPlaneException;
import io.edgefleet.controlplane.errors.ErrorCode;
import io.edgefleet.schemas.api.DeviceRegistered;
import io.edgefleet.schemas.api.DeviceRegistration;
import io.edgefleet.schemas.api.HardwareClass;
import io.edgefleet.schemas.api.HardwareProfile;
import io.edgefleet.schemas.codec.EventCodec;
import io.edgefleet.controlplane.devices.query.SqlCondition;
import io.edgefleet.controlplane.devices.query.SqlTranslator;
import jakarta.enterprise.event.Event;
import jakarta.persistence.Query;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Device registry: registration, look-up, filtering, last-seen tracking. */
@ApplicationScoped
public class DeviceService {
  /** Granularity of {@code last_seen_at}: a poll within this time of the stored value does not write the row. */
  static final Duration LAST_SEEN_RESOLUTION = Duration.ofSeconds(15);

  private final EdgefleetConfig config;
  private final EntityManager em;
  private final Clock clock;

  private final Event<DeviceRegisteredEvent> registered;

  public DeviceService(EdgefleetConfig config, EntityManager em, Event<DeviceRegisteredEvent> registered) {
    this.config = config;
    this.em = em;
    this.registered = registered;
    this.clock = Clock.systemUTC();
  }

  /** Result of a registration: the response and whether the device was new. */
  public record Registration(DeviceRegistered response, boolean created) {}

  /** Registers a device, or updates its hardware and attributes when it registers again. */
  @Transactional
  public Registration register(DeviceRegistration registration) {
    Instant now = clock.instant();
    HardwareProfile hw = registration.hardware();
    String hardwareClass = HardwareClass.of(hw);
    Device device = Device.findById(registration.deviceId());
    boolean created = device == null;
    if (created) {
      device = new Device();
      device.id = registration.deviceId();
      device.registeredAt = now;
    }
    device.name = registration.name() == null || registration.name().isBlank() ? registration.deviceId()
        : registration.name();
    device.hardwareClass = hardwareClass;
    device.hardwareJson = toJson(hw);
    device.agentVersion = registration.agentVersion();
    device.attributes.clear();
    device.attributes.putAll(registration.attributes());
    device.tags.clear();
    device.tags.addAll(tags(registration.attributes().get("tags")));
    device.arch = hw.arch();
    device.os = hw.os();
    device.cores = hw.cores();
    device.ramBytes = hw.ramBytes();
    device.accelerator = hw.accelerator() == null ? null : hw.accelerator().type();
    device.runtimeVersion = hw.runtimeVersion();
    device.updatedAt = now;
    device.lastSeenAt = now;
    if (created) {
      device.persist();
    }
    registered.fire(new DeviceRegisteredEvent(device.id, created));
    return new Registration(
        new DeviceRegistered(device.id, hardwareClass, config.devices().pollIntervalSeconds()), created);
  }

  /** The device or {@link ErrorCode#DEVICE_NOT_FOUND}. */
  public Device require(String deviceId) {
    Device d = Device.findById(deviceId);
    if (d == null) {
      throw ControlPlaneException.notFound(ErrorCode.DEVICE_NOT_FOUND, "device", deviceId);
    }
    return d;
  }

  /**
   * Records that the device was heard from now. Polls arrive every few seconds per device, so the row is only written
   * when the stored time is older than {@link #LAST_SEEN_RESOLUTION}: a fleet's polls then cost reads, not one write
   * each (overdue detection works in minutes).
   */
  @Transactional
  public void touch(String deviceId) {
    Instant now = clock.instant();
    int updated = em.createQuery("update Device d set d.lastSeenAt = :now where d.id = :id"
            + " and (d.lastSeenAt is null or d.lastSeenAt < :stale)")
        .setParameter("now", now).setParameter("stale", now.minus(LAST_SEEN_RESOLUTION))
        .setParameter("id", deviceId).executeUpdate();
    if (updated == 0 && Device.findById(deviceId) == null) {
      throw ControlPlaneException.notFound(ErrorCode.DEVICE_NOT_FOUND, "device", deviceId);
    }
  }

  /** Devices matching {@code filter}, ordered by id. */
  public List<Device> find(DeviceFilter filter) {
    return load(ids(condition(filter), "", -1, 0));
  }

  /** One page of devices matching {@code filter}, ordered by id (stable). */
  public Page<Device> page(DeviceFilter filter, int page, int size) {
    SqlCondition c = condition(filter);
    Query count = em.createNativeQuery("SELECT count(*) FROM device d WHERE " + c.sql());
    c.params().forEach(count::setParameter);
    long total = ((Number) count.getSingleResult()).longValue();
    return new Page<>(load(ids(c, "", size, (long) page * size)), page, size, total);
  }

  /** Devices matching {@code filter} that are not targeted by rollout {@code rolloutId} yet, ordered by id. */
  public List<Device> findNotInRollout(DeviceFilter filter, String rolloutId) {
    return load(ids(condition(filter),
        " AND NOT EXISTS (SELECT 1 FROM rollout_device rd WHERE rd.device_id = d.id AND rd.rollout_id = :rollout)",
        -1, 0, Map.of("rollout", rolloutId)));
  }

  /**
   * The SQL condition of a filter: hardware class, attributes, tag and query, all ANDed.
   *
   * @throws ControlPlaneException {@link ErrorCode#INVALID_DEVICE_QUERY} if the query does not parse
   */
  public static SqlCondition condition(DeviceFilter filter) {
    List<String> where = new ArrayList<>();
    Map<String, Object> params = new HashMap<>();
    where.add("1 = 1");
    if (filter.hardwareClass() != null) {
      where.add("d.hardware_class = :hc");
      params.put("hc", filter.hardwareClass());
    }
    int i = 0;
    for (Map.Entry<String, String> a : filter.attributes().entrySet()) {
      where.add("EXISTS (SELECT 1 FROM device_attribute a" + i + " WHERE a" + i + ".device_id = d.id AND a" + i
          + ".name = :an" + i + " AND a" + i + ".value = :av" + i + ")");
      params.put("an" + i, a.getKey());
      params.put("av" + i, a.getValue());
      i++;
    }
    if (filter.tag() != null) {
      where.add("EXISTS (SELECT 1 FROM device_tag t WHERE t.device_id = d.id AND t.tag = :tag)");
      params.put("tag", filter.tag());
    }
    if (filter.query() != null) {
      SqlCondition q = SqlTranslator.translate(filter.query(), "q");
      where.add(q.sql());
      params.putAll(q.params());
    }
    return new SqlCondition(String.join(" AND ", where), params);
  }

  private List<String> ids(SqlCondition c, String extra, int limit, long offset) {
    return ids(c, extra, limit, offset, Map.of());
  }

  @SuppressWarnings("unchecked")
  private List<String> ids(SqlCondition c, String extra, int limit, long offset, Map<String, Object> more) {
    Query q = em.createNativeQuery("SELECT d.id FROM device d WHERE " + c.sql() + extra + " ORDER BY d.id"
        + (limit > 0 ? " LIMIT " + limit + " OFFSET " + offset : ""));
    c.params().forEach(q::setParameter);
    more.forEach(q::setParameter);
    return (List<String>) q.getResultList();
  }

  private static List<Device> load(List<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    List<Device> out = new ArrayList<>(ids.size());
    for (int from = 0; from < ids.size(); from += 1000) {
      out.addAll(Device.<Device>list("id in ?1", ids.subList(from, Math.min(ids.size(), from + 1000))));
    }
    out.sort(Comparator.comparing(d -> d.id));
    return out;
  }

  /** Tags of a comma-separated {@code tags} attribute (trimmed, blanks dropped). */
  static Set<String> tags(String attribute) {
    Set<String> out = new TreeSet<>();
    if (attribute != null) {
      for (String t : attribute.split(",")) {
        String s = t.trim();
        if (!s.isEmpty()) {
          if (s.length() > 128) {
            throw new ControlPlaneException(ErrorCode.INVALID_REQUEST, "tag longer than 128 characters: " + s);
          }
          out.add(s);
        }
      }
    }
    return out;
  }

  /** The reported hardware of a stored device. */
  public static HardwareProfile hardware(Device d) {
    try {
      return EventCodec.mapper().readValue(d.hardwareJson, HardwareProfile.class);
    } catch (JsonProcessingException e) {
      throw new ControlPlaneException(ErrorCode.INTERNAL, "stored hardware of device " + d.id + " is unreadable", e);
    }
  }

  /** The desired state row of a device, if any. */
  public Optional<DesiredStateRow> desiredState(String deviceId) {
    return Optional.ofNullable(DesiredStateRow.findById(deviceId));
  }

  private static String toJson(HardwareProfile hw) {
    try {
      return EventCodec.mapper().writeValueAsString(Objects.requireNonNull(hw));
    } catch (JsonProcessingException e) {
      throw new ControlPlaneException(ErrorCode.INVALID_REQUEST, "hardware profile cannot be serialised", e);
    }
  }
}
