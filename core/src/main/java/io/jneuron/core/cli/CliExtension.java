package io.jneuron.core.cli;

/**
 * A top-level command contributed by a module that core cannot depend on (for example
 * backend-neuron's {@code neff}), found through {@link java.util.ServiceLoader}.
 */
public interface CliExtension {
    /** The subcommand name, e.g. {@code neff}. */
    String name();

    /** A fresh picocli command object (annotated with {@code @Command}). */
    Object command();
}
