package io.jneuron.magics;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.cli.ReportCommand;
import io.jneuron.core.report.Render;
import io.jneuron.core.report.Report;
import io.jneuron.core.export.ModelKeeper;
import io.jneuron.core.service.Context;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;

/**
 * Parses a magic's arguments with the CLI's own picocli command, so a magic accepts exactly what
 * {@code bin/jneuron} accepts. picocli's writers point at the cell, never at System.out.
 */
final class MagicArgs {
    private MagicArgs() {
    }

    /** The parse, or usage text when the user asked for help. */
    record Parsed(CommandLine.ParseResult result, DisplayData help) {
        /** The command object of the deepest subcommand the arguments selected. */
        Object command() {
            return leaf().commandSpec().userObject();
        }

        private CommandLine.ParseResult leaf() {
            CommandLine.ParseResult r = result;
            while (r.hasSubcommand()) {
                r = r.subcommand();
            }
            return r;
        }

        /**
         * The result as the cell shows it: as given (the notebook renders it as HTML and text), or with
         * {@code --format text|html|json} exactly what {@code bin/jneuron} prints for that format.
         */
        Object shown(Report r) {
            CommandLine.ParseResult leaf = leaf();
            if (!leaf.hasMatchedOption("--format")) {
                return r;
            }
            Render.Format f = Render.Format.parse(leaf.matchedOptionValue("--format", "text"));
            DisplayData d = new DisplayData(f == Render.Format.HTML ? Render.text(r) : Render.as(f, r));
            if (f == Render.Format.HTML) {
                d.putHTML(Render.html(r));
            }
            return d;
        }
    }

    static Parsed parse(BaseKernel kernel, String magic, Object command, List<String> args) {
        CommandLine cl = new CommandLine(command);
        cl.setCommandName(magic);
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(cellErr(kernel));
        CommandLine.ParseResult pr;
        try {
            pr = cl.parseArgs(args.toArray(new String[0]));
        } catch (CommandLine.ParameterException e) {
            CommandLine bad = e.getCommandLine();
            throw new NeuronKernelException("%" + magic + ": " + e.getMessage() + "\n"
                    + "usage: " + bad.getHelp().synopsis(0).strip() + "  (add --help for every option)");
        }
        for (CommandLine.ParseResult r = pr; r != null; r = r.hasSubcommand() ? r.subcommand() : null) {
            if (r.isUsageHelpRequested() || r.isVersionHelpRequested()) {
                return new Parsed(pr, new DisplayData(r.commandSpec().commandLine().getUsageMessage()));
            }
        }
        return new Parsed(pr, null);
    }

    /**
     * Runs a magic that is a CLI verb: parses {@code args} with {@code command}, makes its one service call and
     * returns the result (rendered by the Report renderer, or as {@code --format} asks), or the usage text when help
     * was asked for.
     */
    static Object run(BaseKernel kernel, String magic, Object command, List<String> args, ProgressListener progress) {
        return run(kernel, magic, command, args, progress, null);
    }

    /** As above, models opened through {@code models} when not null (see {@link Context#withModels}). */
    static Object run(BaseKernel kernel, String magic, Object command, List<String> args, ProgressListener progress,
                      ModelKeeper models) {
        Parsed p = parse(kernel, magic, command, args);
        if (p.help() != null) {
            return p.help();
        }
        if (!(p.command() instanceof ReportCommand verb)) {
            throw new NeuronKernelException("%" + magic + ": give a verb: " + String.join(", ",
                    p.result().commandSpec().subcommands().keySet().stream().filter(n -> !n.equals("help")).toList())
                    + " (add --help for each)");
        }
        return p.shown(verb.report(context(kernel, progress).withModels(models)));
    }

    /** The process environment, with progress and warnings in the running cell. */
    static Context context(BaseKernel kernel, ProgressListener progress) {
        PrintWriter err = cellErr(kernel);
        return Context.fromEnvironment().withProgress(progress).withWarnings(err::println);
    }

    /** A writer onto the running cell's stderr (warnings such as skipped registry entries). */
    static PrintWriter cellErr(BaseKernel kernel) {
        return new PrintWriter(new Writer() {
            @Override
            public void write(char[] cbuf, int off, int len) {
                kernel.getIO().err.print(new String(cbuf, off, len));
            }

            @Override
            public void flush() {
                kernel.getIO().err.flush();
            }

            @Override
            public void close() {
                flush();
            }
        }, true);
    }
}
