/**
 * The {@code %neuron_*} magics: each parses its arguments with the CLI's picocli command, makes that command's one
 * service call and returns the result object, which the registered renderer shows as a table.
 */
package io.jneuron.magics;
