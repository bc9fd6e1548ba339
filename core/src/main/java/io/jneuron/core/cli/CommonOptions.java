package io.jneuron.core.cli;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.Settings;
import io.jneuron.core.service.Context;
import picocli.CommandLine.Option;

/** Options every engine command takes: backend and threads ({@code --format} is {@link ReportCommand}'s). */
final class CommonOptions {
    @Option(names = "--backend", description = "Backend to use (default: the best available).")
    String backend;

    @Option(names = "--threads", description = "CPU worker threads (default: all cores).")
    Integer threads;

    /** {@code ctx} with --backend and --threads applied to its settings. */
    Context apply(Context ctx) {
        return ctx.withSettings(apply(ctx.settings()));
    }

    Settings settings() {
        return apply(Settings.fromEnvironment());
    }

    private Settings apply(Settings s) {
        if (backend != null) {
            s = s.withBackend(backend);
        }
        if (threads != null) {
            if (threads < 1) {
                throw new NeuronKernelException("--threads must be at least 1, got " + threads);
            }
            if (threads > Settings.maxThreads()) {
                System.err.println("warning: --threads " + threads + " is more than the " + Settings.maxThreads()
                        + " available processors; using " + Settings.maxThreads());
            }
            s = s.withThreads(threads);
        }
        return s;
    }
}
