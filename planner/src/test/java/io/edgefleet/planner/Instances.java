package io.edgefleet.planner;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random and hand-made planning instances for tests. */
final class Instances {
    static final List<Precision> FOUR = List.of(Precision.FLOAT32, Precision.FLOAT16, Precision.INT8,
            Precision.INT4_WEIGHTS);

    private Instances() {
    }

    /**
     * Random layers: sizes shrink and sensitivity grows as precision drops (like real models) but with noise; with
     * {@code integral} the costs are small integers so that exact ties are common.
     */
    static List<LayerProfile> random(Random random, int layerCount, boolean integral) {
        List<LayerProfile> layers = new ArrayList<>();
        String[] ops = {"CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"};
        for (int l = 0; l < layerCount; l++) {
            long params = 100 + random.nextInt(10_000);
            Map<Precision, Double> sensitivity = new EnumMap<>(Precision.class);
            Map<Precision, Long> size = new EnumMap<>(Precision.class);
            Map<Precision, Double> latency = new EnumMap<>(Precision.class);
            for (Precision precision : FOUR) {
                if (random.nextInt(10) == 0 && precision != Precision.FLOAT32) {
                    continue; // some precisions not measured for some layers
                }
                double bits = precision.nominalWeightBits();
                sensitivity.put(precision, integral ? (double) random.nextInt(4)
                        : (32 - bits) / 32 * random.nextDouble() - 0.01 * random.nextDouble());
                size.put(precision, integral ? 1 + random.nextInt(4) : (long) (params * bits / 8) + random.nextInt(64));
                latency.put(precision, integral ? (double) (1 + random.nextInt(3))
                        : 10 + 50 * random.nextDouble() * bits / 32);
            }
            layers.add(new LayerProfile("layer-" + l, ops[random.nextInt(ops.length)], params, params * 9,
                    sensitivity, size, latency));
        }
        return layers;
    }

    static LayerProfile layer(String id, String op, Object... triples) {
        Map<Precision, Double> sensitivity = new EnumMap<>(Precision.class);
        Map<Precision, Long> size = new EnumMap<>(Precision.class);
        Map<Precision, Double> latency = new EnumMap<>(Precision.class);
        for (int i = 0; i < triples.length; i += 4) {
            Precision precision = (Precision) triples[i];
            sensitivity.put(precision, ((Number) triples[i + 1]).doubleValue());
            size.put(precision, ((Number) triples[i + 2]).longValue());
            latency.put(precision, ((Number) triples[i + 3]).doubleValue());
        }
        return new LayerProfile(id, op, 1000, 9000, sensitivity, size, latency);
    }
}
