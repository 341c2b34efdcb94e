package io.edgefleet.quantization.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgefleet.quantization.ErrorCode;
import io.edgefleet.quantization.QuantizationException;
import io.edgefleet.quantization.testing.TestModels;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SubGraphT;

/**
 * Hostile and corrupted flatbuffers: whatever the bytes, parsing and validation either succeed or fail with a
 * {@link QuantizationException} carrying a specific code, never another exception, a hang or memory exhaustion.
 */
class TfliteModelFuzzTest {
  private static final byte[] CNN = TestModels.smallCnn(7);

  /** A byte-level mutation: {@code count} bytes overwritten at positions derived from {@code seed}. */
  record Mutation(long seed, int count, boolean wordAligned) {}

  @Provide
  Arbitrary<Mutation> mutations() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1, 16), Arbitraries.of(true, false))
        .as(Mutation::new);
  }

  @Property(tries = 1000, seed = "20261123")
  void shouldParseOrRejectMutatedModelsWithASpecificError(@ForAll("mutations") Mutation m) {
    byte[] bytes = CNN.clone();
    java.util.Random random = new java.util.Random(m.seed());
    for (int i = 0; i < m.count(); i++) {
      int pos = random.nextInt(bytes.length);
      if (m.wordAligned()) {
        // flatbuffer offsets, lengths and indices are 32-bit little-endian words: overwrite a whole one
        pos &= ~3;
        int value = random.nextBoolean() ? random.nextInt() : random.nextInt(1 << 16);
        for (int b = 0; b < 4 && pos + b < bytes.length; b++) {
          bytes[pos + b] = (byte) (value >>> (8 * b));
        }
      } else {
        bytes[pos] = (byte) random.nextInt(256);
      }
    }

    assertOnlyQuantizationErrors(bytes);
  }

  @Property(tries = 60, seed = "20261123")
  void shouldRejectEveryTruncation(@ForAll @IntRange(min = 0, max = 100_000) int cut) {
    int length = cut % CNN.length;

    assertThatThrownBy(() -> TfliteModel.parse(Arrays.copyOf(CNN, length)))
        .isInstanceOfSatisfying(QuantizationException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_MODEL));
  }

  @Test
  void shouldRejectAGraphWhoseOperatorReadsItsOwnOutput() {
    ModelT model = TfliteModel.parse(CNN).copyModelT();
    OperatorT first = model.getSubgraphs()[0].getOperators()[0];
    int[] inputs = first.getInputs().clone();
    inputs[0] = first.getOutputs()[0];
    first.setInputs(inputs);

    assertCorrupt(TfliteModel.serialize(model), "cycle");
  }

  @Test
  void shouldRejectOperatorsOutOfExecutionOrder() {
    ModelT model = TfliteModel.parse(CNN).copyModelT();
    SubGraphT graph = model.getSubgraphs()[0];
    OperatorT[] ops = graph.getOperators().clone();
    OperatorT tmp = ops[0];
    ops[0] = ops[1];
    ops[1] = tmp;
    graph.setOperators(ops);

    assertCorrupt(TfliteModel.serialize(model), "execution order");
  }

  @Test
  void shouldRejectATensorWrittenByTwoOperators() {
    ModelT model = TfliteModel.parse(CNN).copyModelT();
    OperatorT[] ops = model.getSubgraphs()[0].getOperators();
    ops[1].setOutputs(ops[0].getOutputs().clone());

    assertCorrupt(TfliteModel.serialize(model), "");
  }

  @Test
  void shouldRejectAHugeDeclaredShapeWithoutAllocatingIt() {
    ModelT model = TfliteModel.parse(CNN).copyModelT();
    int output = model.getSubgraphs()[0].getOperators()[0].getOutputs()[0];
    model.getSubgraphs()[0].getTensors()[output].setShape(new int[] {1, 65_536, 65_536, 64});

    assertCorrupt(TfliteModel.serialize(model), "");
  }

  private static void assertCorrupt(byte[] bytes, String messagePart) {
    assertThatThrownBy(() -> TfliteModel.parse(bytes))
        .isInstanceOfSatisfying(QuantizationException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.CORRUPT_MODEL))
        .hasMessageContaining(messagePart);
  }

  private static void assertOnlyQuantizationErrors(byte[] bytes) {
    try {
      TfliteModel model = TfliteModel.parse(bytes);
      model.summary();
      model.requireFloatModelSupported();
      model.requireFiniteWeights();
    } catch (QuantizationException expected) {
      assertThat(expected.code()).isNotNull();
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
