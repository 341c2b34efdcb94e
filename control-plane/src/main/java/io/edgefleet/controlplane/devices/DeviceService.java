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
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Device registry: registration, look-up, filtering, last-seen tracking. */
@ApplicationScoped
public class DeviceService {
  private final EdgefleetConfig config;
  private final EntityManager em;
  private final Clock clock;

  public DeviceService(EdgefleetConfig config, EntityManager em) {
    this.config = config;
    this.em = em;
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
    device.updatedAt = now;
    device.lastSeenAt = now;
    if (created) {
      device.persist();
    }
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

  /** Records that the device was heard from now. */
  @Transactional
  public void touch(String deviceId) {
    int updated = em.createQuery("update Device d set d.lastSeenAt = :now where d.id = :id")
        .setParameter("now", clock.instant()).setParameter("id", deviceId).executeUpdate();
    if (updated == 0) {
      throw ControlPlaneException.notFound(ErrorCode.DEVICE_NOT_FOUND, "device", deviceId);
    }
  }

  /** Devices matching {@code filter}, ordered by id. */
  public List<Device> find(DeviceFilter filter) {
    return query(filter).list();
  }

  /** One page of devices matching {@code filter}. */
  public Page<Device> page(DeviceFilter filter, int page, int size) {
    var q = query(filter);
    long total = q.count();
    List<Device> items = q.page(io.quarkus.panache.common.Page.of(page, size)).list();
    return new Page<>(items, page, size, total);
  }

  private io.quarkus.hibernate.orm.panache.PanacheQuery<Device> query(DeviceFilter filter) {
    StringBuilder where = new StringBuilder("1 = 1");
    Map<String, Object> params = new HashMap<>();
    if (filter.hardwareClass() != null) {
      where.append(" and d.hardwareClass = :hc");
      params.put("hc", filter.hardwareClass());
    }
    int i = 0;
    for (Map.Entry<String, String> a : filter.attributes().entrySet()) {
      where.append(" and exists (select 1 from Device d").append(i).append(" join d").append(i)
          .append(".attributes a").append(i).append(" where d").append(i).append(" = d and key(a").append(i)
          .append(") = :an").append(i).append(" and value(a").append(i).append(") = :av").append(i).append(")");
      params.put("an" + i, a.getKey());
      params.put("av" + i, a.getValue());
      i++;
    }
    Parameters p = new Parameters();
    params.forEach(p::and);
    return Device.find("from Device d where " + where + " order by d.id", p);
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
