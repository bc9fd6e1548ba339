package io.jneuron.core.cache;

import io.jneuron.core.NeuronKernelException;

/**
 * A compile-cache or registry operation that failed: unreadable or corrupt entries, a lock held by a
 * process that is gone, a path that leaves the cache root. The message names what failed, the
 * offending value and the next step. A cache miss is never an exception: it is {@code Optional.empty()}.
 */
public final class CacheException extends NeuronKernelException {
    public CacheException(String message) {
        super(message);
    }

    public CacheException(String message, Throwable cause) {
        super(message, cause);
    }
}
