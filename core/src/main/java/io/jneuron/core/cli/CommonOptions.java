package io.jneuron.core.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.ProgressListener;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Locale;

/** Options every engine command takes: output format, backend and threads. */
final class CommonOptions {
    static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--format", defaultValue = "text", description = "Output: text or json (one document on stdout).")
    String format;

    @Option(names = "--backend", description = "Backend to use (default: the best available).")
    String backend;

    @Option(names = "--threads", description = "CPU worker threads (default: all cores).")
    Integer threads;

    boolean json() {
        String f = format.toLowerCase(Locale.ROOT);
        if (!f.equals("text") && !f.equals("json")) {
            throw new NeuronKernelException("--format '" + format + "' is not text or json");
        }
        return f.equals("json");
    }

    Settings settings() {
        Settings s = Settings.fromEnvironment();
        if (backend != null) {
            s = s.withBackend(backend);
        }
        if (threads != null) {
            if (threads < 1) {
                throw new NeuronKernelException("--threads must be at least 1, got " + threads);
            }
            s = s.withThreads(threads);
        }
        return s;
    }

    /** Progress as short lines on stderr; the stage changes rarely, so no throttling is needed. */
    static ProgressListener stderrProgress(PrintWriter err) {
        return new ProgressListener() {
            private String last = "";

            @Override
            public void progress(String stage, double fraction) {
                String top = stage.contains(" ") ? stage.substring(0, stage.indexOf(' ')) : stage;
                if (!top.equals(last)) {
                    last = top;
                    err.println("[jneuron] " + top + "...");
                    err.flush();
                }
            }
        };
    }
}
