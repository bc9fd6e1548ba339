/**
 * The Jupyter kernel: a JShell evaluator on jjava-jupyter, the only module that knows Jupyter.
 * Filled in by the kernel-and-magics work (issue 5).
 */
package io.jneuron.kernel;
