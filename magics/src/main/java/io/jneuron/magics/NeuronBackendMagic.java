package io.jneuron.magics;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.Settings;
import io.jneuron.core.service.BackendList;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

import java.util.List;

/** {@code %neuron_backend}: every backend found, whether it is available (or why not), which one is selected. */
final class NeuronBackendMagic {
    private NeuronBackendMagic() {
    }

    static BackendList run(BaseKernel kernel, List<String> args) {
        if (!args.isEmpty()) {
            throw new NeuronKernelException("%neuron_backend takes no arguments; choose a backend with --backend on "
                    + "%neuron_export or %%neuron_generate, or with NEURON_KERNEL_BACKEND");
        }
        return BackendList.probe(Settings.fromEnvironment());
    }
}
