package io.edgefleet.agent.hardware;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What {@code /proc/cpuinfo} says about the CPU.
 *
 * @param modelName the {@code model name} (x86) or {@code Model} / implementer + part (Arm); empty if unknown
 * @param features CPU feature flags in the order reported (x86 {@code flags}, Arm {@code Features}), lower case, no
 *     duplicates
 * @param processors number of {@code processor} entries
 */
public record CpuInfo(String modelName, List<String> features, int processors) {

  public CpuInfo {
    modelName = modelName == null ? "" : modelName;
    features = List.copyOf(features);
  }

  /** Parses the text of {@code /proc/cpuinfo} (x86 and Arm layouts). Unknown fields are ignored. */
  public static CpuInfo parse(String text) {
    String modelName = null;
    String boardModel = null;
    String implementer = null;
    String part = null;
    Set<String> features = new LinkedHashSet<>();
    boolean featuresSeen = false;
    int processors = 0;
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (key) {
        case "processor":
          processors++;
          break;
        case "model name":
          if (modelName == null && !value.isEmpty()) {
            modelName = value;
          }
          break;
        case "model":
          // Arm boards (e.g. Raspberry Pi) report the board here; on x86 "model" is a number
          if (boardModel == null && !value.isEmpty() && !value.chars().allMatch(Character::isDigit)) {
            boardModel = value;
          }
          break;
        case "cpu implementer":
          if (implementer == null) {
            implementer = value;
          }
          break;
        case "cpu part":
          if (part == null) {
            part = value;
          }
          break;
        case "flags":
        case "features":
          if (!featuresSeen) {
            // the first processor block is representative; heterogeneous cores report subsets later
            featuresSeen = true;
            for (String f : value.split("\\s+")) {
              if (!f.isEmpty()) {
                features.add(f.toLowerCase(Locale.ROOT));
              }
            }
          }
          break;
        default:
          break;
      }
    }
    String model = modelName;
    if (model == null) {
      model = boardModel;
    }
    if (model == null && implementer != null) {
      model = "Arm implementer " + implementer + (part == null ? "" : " part " + part);
    }
    return new CpuInfo(model, new ArrayList<>(features), processors);
  }
}
