package io.jneuron.magics;

import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.cli.BackendCommand;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

import java.util.List;

/** {@code %neuron_backend}: the {@code jneuron backend} command (every backend found, its probe, the selected one). */
final class NeuronBackendMagic {
    private NeuronBackendMagic() {
    }

    static Object run(BaseKernel kernel, List<String> args) {
        return MagicArgs.run(kernel, "neuron_backend", new BackendCommand(), args, ProgressListener.NONE);
    }
}
