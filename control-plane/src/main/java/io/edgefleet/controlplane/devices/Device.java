package io.edgefleet.controlplane.devices;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.MapKeyColumn;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A registered device (persistence model; the API exposes {@link DeviceView}). */
@Entity
@Table(name = "device")
public class Device extends PanacheEntityBase {
  @Id public String id;
  public String name;

  @Column(name = "hardware_class")
  public String hardwareClass;

  @Column(name = "hardware_json")
  public String hardwareJson;

  @Column(name = "agent_version")
  public String agentVersion;

  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "device_attribute", joinColumns = @JoinColumn(name = "device_id"))
  @MapKeyColumn(name = "name")
  @Column(name = "value")
  public Map<String, String> attributes = new HashMap<>();

  /** Tags (the comma-separated {@code tags} attribute), queryable with {@code tag==…}. */
  @ElementCollection(fetch = FetchType.EAGER)
  @CollectionTable(name = "device_tag", joinColumns = @JoinColumn(name = "device_id"))
  @Column(name = "tag")
  public Set<String> tags = new TreeSet<>();

  public String arch;
  public String os;
  public Integer cores;

  @Column(name = "ram_bytes")
  public Long ramBytes;

  public String accelerator;

  @Column(name = "runtime_version")
  public String runtimeVersion;

  @Column(name = "registered_at")
  public Instant registeredAt;

  @Column(name = "updated_at")
  public Instant updatedAt;

  @Column(name = "last_seen_at")
  public Instant lastSeenAt;
}
