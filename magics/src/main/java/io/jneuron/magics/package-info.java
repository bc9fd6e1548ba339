/**
 * The {@code %neuron_*} magics: each parses its arguments with the CLI's picocli command, makes one
 * core call and renders the result. Filled in by the kernel-and-magics work (issue 5).
 */
package io.jneuron.magics;
