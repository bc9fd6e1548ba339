package io.jneuron.core.cli;

import picocli.CommandLine.Command;

/** {@code jneuron bench}: see DESIGN.md §3. */
@Command(name = "bench", description = "Measure load, prefill and decode speed.")
final class BenchCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("bench is being built (issue 2)");
    }
}
