package io.edgefleet.quantizer.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code edgefleet-quantizer}: analyze, plan, sweep Pareto frontiers, quantize, evaluate and debug TFLite models with the Edge Fleet
 * quantization engine, without the rest of the platform. Exit codes: see {@link ExitCodes}.
 */
@Command(name = "edgefleet-quantizer", mixinStandardHelpOptions = true, version = "edgefleet-quantizer 0.1.0",
        description = "Quantize TFLite models: analysis, per-layer mixed-precision planning, builds, evaluation.",
        subcommands = {AnalyzeCommand.class, PlanCommand.class, ParetoCommand.class, QuantizeCommand.class, EvaluateCommand.class,
            DebugCommand.class, CommandLine.HelpCommand.class})
public final class QuantizerCli {

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** A configured command line (error handling, exit codes) writing to System.out / System.err. */
    public static CommandLine newCommandLine() {
        return newCommandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** A configured command line writing to the given writers (tests). */
    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new QuantizerCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("error [" + ExitCodes.key(ex) + "]: " + message(ex));
            if (ExitCodes.of(ex) == ExitCodes.INTERNAL) {
                ex.printStackTrace(commandLine.getErr());
            }
            commandLine.getErr().flush();
            return ExitCodes.of(ex);
        });
        return cli;
    }

    private static String message(Throwable ex) {
        String m = ex.getMessage();
        if (m != null && m.startsWith("[")) {
            int end = m.indexOf("] ");
            if (end > 0) {
                return m.substring(end + 2);
            }
        }
        return m == null ? ex.getClass().getSimpleName() : m;
    }
}
