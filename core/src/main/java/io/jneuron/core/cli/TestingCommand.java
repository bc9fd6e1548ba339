package io.jneuron.core.cli;

import picocli.CommandLine.Command;

/** {@code jneuron testing}: see DESIGN.md §3. */
@Command(name = "testing", description = "Tools for tests and tutorials.")
final class TestingCommand implements Runnable {
    @Override
    public void run() {
        throw new UnsupportedOperationException("testing is being built (issue 2)");
    }
}
