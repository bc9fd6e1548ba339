package io.jneuron.core.cli;

import io.jneuron.core.service.BackendList;
import io.jneuron.core.service.Context;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jneuron backend} (and {@code %neuron_backend}): every backend found, its probe, and the one selected. */
@Command(name = "backend", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "List every backend found, whether it is available (or why not), and which one export, "
                + "generate and pipeline select. Choose one with --backend on those verbs or NEURON_KERNEL_BACKEND.")
public final class BackendCommand extends ReportCommand {
    @Option(names = "--backend", description = "Show the selection as if this backend were asked for.")
    String backend;

    @Override
    public BackendList report(Context ctx) {
        return BackendList.probe(backend == null ? ctx.settings() : ctx.settings().withBackend(backend));
    }
}
