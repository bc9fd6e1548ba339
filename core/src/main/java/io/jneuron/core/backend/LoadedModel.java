package io.jneuron.core.backend;

import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.shape.ShapeSpec;

/**
 * An immutable loaded model: weights only, shared by its sessions. Must be closed after its sessions.
 * Thread-safe; each {@link DecodeSession} is used by one thread at a time.
 */
public interface LoadedModel extends AutoCloseable {
    ShapeSpec shape();

    ModelConfig config();

    /** The encoder view of this model, or empty for a decoder. */
    default java.util.Optional<EncoderRunner> encoder() {
        return java.util.Optional.empty();
    }

    /**
     * Before a call on a model an earlier call loaded (a notebook kernel keeps one between cells): lets background
     * work this runtime's speed depends on finish first, within a bound, and returns the nanoseconds it waited (0
     * when there was nothing to wait for). The CPU runtime waits for the JIT compiler to go idle, as its load's
     * warm-up does: a Java cell run in between leaves it compiling on a core the generation needs. The caller counts
     * the wait in its load time.
     */
    default long settle() {
        return 0;
    }

    /** A session with its own KV cache and buffers, pre-allocated for the compiled shapes. */
    DecodeSession newSession();

    @Override
    void close();
}
