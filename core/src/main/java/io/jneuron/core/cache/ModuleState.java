package io.jneuron.core.cache;

/**
 * The state of a {@code MODULE_*} folder, classified as optimum-neuron's cleanup does (spec §4.2): success
 * first, then failed, then locked, else empty; plus corrupt, which optimum does not know.
 */
public enum ModuleState {
    /** Compiled: {@code model.done} (and {@code model.neff} in a {@code neuronxcc-} folder). Reused as is. */
    SUCCESS,
    /** {@code model.log} without {@code model.neff}: a failed ("poisoned") compile, not retried by default. */
    FAILED,
    /** A {@code *.lock} file: a compile in progress, or a stale lock left by a killed one ({@link LockInfo#stale()}). */
    LOCKED,
    /**
     * Never used: {@code model.done} but an artifact missing or no longer matching the digest recorded in it, or
     * the folder is a symbolic link. Cleanup removes it; the next export compiles it again.
     */
    CORRUPT,
    /** Nothing usable (only HLO/flags, or leftovers): harmless, compiled on next use. */
    EMPTY;

    /** Lower-case name as JSON and text output show it. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
