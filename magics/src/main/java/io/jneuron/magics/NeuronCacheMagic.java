package io.jneuron.magics;

import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.cli.CacheCommand;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

import java.util.List;

/** {@code %neuron_cache VERB ...}: the {@code jneuron cache} verbs; the result renders as its table. */
final class NeuronCacheMagic {
    private NeuronCacheMagic() {
    }

    static Object run(BaseKernel kernel, List<String> args) {
        return MagicArgs.run(kernel, "neuron_cache", new CacheCommand(), args, ProgressListener.NONE);
    }
}
