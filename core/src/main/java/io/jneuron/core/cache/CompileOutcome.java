package io.jneuron.core.cache;

/**
 * What {@link CompileCache#compileOnce} did.
 *
 * @param module the module, in state {@link ModuleState#SUCCESS}
 * @param compiled true when this call ran the work; false when the module was already compiled or another
 *     process compiled it while this one waited
 */
public record CompileOutcome(ModuleDir module, boolean compiled) {
}
