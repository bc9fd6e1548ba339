package io.jneuron.neuron.cli;

import io.jneuron.core.cli.CliExtension;

/** Registers {@code jneuron neff} with the core command line. */
public final class NeffCliExtension implements CliExtension {
    @Override
    public String name() {
        return "neff";
    }

    @Override
    public Object command() {
        return new NeffCommand();
    }
}
