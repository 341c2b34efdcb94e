package io.edgefleet.quantizer.cli;

import io.edgefleet.quantization.samples.SampleSetCodec;
import io.edgefleet.quantization.testing.TestModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** What the command-line tests share: an in-process run of the CLI and the small CNN with its sample sets. */
final class CliTestSupport {
    private CliTestSupport() {
    }

    /** One run: its exit code and what it wrote to stdout and stderr. */
    record Run(int exit, String out, String err) {
    }

    /** Runs {@code edgefleet-quantizer} with the arguments' {@code toString()}s. */
    static Run run(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] strings = Arrays.stream(args).map(Object::toString).toArray(String[]::new);
        int exit = QuantizerCli.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(strings);
        return new Run(exit, out.toString(), err.toString());
    }

    /** The in-code small CNN ({@code cnn.tflite}, 8x8x1 inputs) with 32 calibration and 40 evaluation samples. */
    record SmallCnn(Path model, Path calibration, Path eval) {
        static SmallCnn writeTo(Path dir) throws IOException {
            Path model = Files.write(dir.resolve("cnn.tflite"), TestModels.smallCnn(7));
            Path calibration = dir.resolve("cnn-calib.efs");
            SampleSetCodec.write(TestModels.samples(32, 1, 8, 8, 1), SampleSetCodec.Encoding.FLOAT32, false, calibration);
            Path eval = dir.resolve("cnn-eval.efs");
            SampleSetCodec.write(TestModels.samples(40, 2, 8, 8, 1), SampleSetCodec.Encoding.FLOAT32, false, eval);
            return new SmallCnn(model, calibration, eval);
        }
    }
}
