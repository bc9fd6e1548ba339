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

    /** A session with its own KV cache and buffers, pre-allocated for the compiled shapes. */
    DecodeSession newSession();

    @Override
    void close();
}
