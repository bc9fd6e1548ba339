package io.jneuron.core.cli;

import io.jneuron.core.NeuronKernelException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code bin/jneuron}: the command-line face of the core. Magics reuse the same command classes with
 * their out/err writers pointed at the notebook cell, so nothing here may call {@code System.exit}
 * except {@link #main}.
 */
@Command(name = "jneuron", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Export, look up and run static-shape compiled models (AWS Neuron, or the embedded CPU runtime).",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main extends CommandGroup {
    /** The full command tree; each verb lives in its own class. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand("export", new ExportCommand());
        cl.addSubcommand("generate", new GenerateCommand());
        cl.addSubcommand("backend", new BackendCommand());
        cl.addSubcommand("pipeline", new PipelineCommand());
        cl.addSubcommand("bench", new BenchCommand());
        cl.addSubcommand("testing", new TestingCommand());
        cl.addSubcommand("cache", new CacheCommand());
        cl.addSubcommand("hub", new HubCommand());
        for (CliExtension ext : java.util.ServiceLoader.load(CliExtension.class, Main.class.getClassLoader())) {
            cl.addSubcommand(ext.name(), ext.command());
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, args) -> {
            // One line and where to look, not the whole usage (which buries the error).
            CommandLine c = ex.getCommandLine();
            c.getErr().println("error: " + ex.getMessage());
            c.getErr().println("see '" + c.getCommandSpec().qualifiedName() + " --help'");
            return c.getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof NeuronKernelException) {
                // A user-facing failure: one clear line, no stack trace.
                commandLine.getErr().println("error: " + ex.getMessage());
                return 1;
            }
            ex.printStackTrace(commandLine.getErr());
            return 70;
        });
        return cl;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"jneuron " + (v == null ? "dev" : v)};
        }
    }
}
