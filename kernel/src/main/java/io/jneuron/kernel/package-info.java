/**
 * The Jupyter kernel: a JShell evaluator on jjava-jupyter, the only module that knows Jupyter.
 */
package io.jneuron.kernel;
