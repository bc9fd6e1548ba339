package io.jneuron.core.cli;

import io.jneuron.core.report.Render;
import io.jneuron.core.report.Report;
import io.jneuron.core.service.Context;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * A verb that turns its parsed options into one service call and returns the result. The CLI prints the result in
 * {@code --format} ({@link #call}); a magic parses the same command and returns the result to the notebook, which
 * renders it.
 */
public abstract class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--format", defaultValue = "text", description = "Output: text, html or json (one document on stdout).")
    String format;

    public abstract Report report(Context ctx);

    Render.Format format() {
        return Render.Format.parse(format);
    }

    /** The context of a terminal run (progress and warnings on stderr); verbs with their own environment override it. */
    Context context(Render.Format f) {
        return Output.context(spec, System.getenv(), f);
    }

    /** The verb as the CLI runs it: the result printed in {@code --format}; the exit code. */
    @Override
    public Integer call() {
        Render.Format f = format();
        Report r = report(context(f));
        Output.print(spec, f, r);
        return exitCode(r);
    }

    int exitCode(Report r) {
        return 0;
    }
}
