package io.jneuron.core.cli;

import picocli.CommandLine.Command;

/** {@code jneuron generate}: see DESIGN.md §3. */
@Command(name = "generate", description = "Generate text with a compiled model.")
final class GenerateCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("generate is being built (issue 2)");
    }
}
