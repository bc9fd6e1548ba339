package io.jneuron.core.cli;

import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.report.Render;
import io.jneuron.core.report.Report;
import io.jneuron.core.service.Context;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Map;

/** Where a CLI verb's result, progress and warnings go: the result to stdout, the rest to stderr. */
final class Output {
    private Output() {
    }

    /** The context of a terminal run: progress lines on stderr unless the output is JSON, warnings on stderr. */
    static Context context(CommandSpec spec, Map<String, String> env, Render.Format format) {
        PrintWriter err = spec.commandLine().getErr();
        return Context.of(env).withProgress(format == Render.Format.JSON ? ProgressListener.NONE : stderrProgress(err))
                .withWarnings(w -> {
                    err.println(w);
                    err.flush();
                });
    }

    static void print(CommandSpec spec, Render.Format format, Report r) {
        PrintWriter out = spec.commandLine().getOut();
        String s = Render.as(format, r);
        if (!s.isEmpty()) {
            out.println(s);
        }
        out.flush();
    }

    static ProgressListener stderrProgress(PrintWriter err) {
        return new ProgressLines(err, ProgressLines.stderrIsTerminal());
    }
}
