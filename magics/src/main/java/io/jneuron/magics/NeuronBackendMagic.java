package io.jneuron.magics;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.Availability;
import io.jneuron.core.backend.BackendProvider;
import io.jneuron.core.backend.Backends;
import io.jneuron.magics.render.Tables;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.ArrayList;
import java.util.List;

/** {@code %neuron_backend}: every backend found, whether it is available (or why not), which one is selected. */
final class NeuronBackendMagic {
    private NeuronBackendMagic() {
    }

    static DisplayData run(BaseKernel kernel, List<String> args) {
        if (!args.isEmpty()) {
            throw new NeuronKernelException("%neuron_backend takes no arguments; choose a backend with --backend on "
                    + "%neuron_export or %%neuron_generate, or with NEURON_KERNEL_BACKEND");
        }
        Settings settings = Settings.fromEnvironment();
        String selected;
        try {
            selected = Backends.select(settings).name();
        } catch (NeuronKernelException e) {
            selected = null;
        }
        List<List<String>> rows = new ArrayList<>();
        for (BackendProvider p : Backends.providers()) {
            Availability a = p.probe(settings);
            rows.add(List.of(p.name(), String.valueOf(p.rank()), a.available() ? "yes" : "no",
                    p.name().equals(selected) ? "selected" : "", String.valueOf(a.reason())));
        }
        String headline = selected == null ? "no backend is available" : "selected backend: " + selected
                + (settings.backend() != null ? " (set explicitly)" : " (the best available)");
        return Tables.display(headline, Tables.of("backends", List.of("backend", "rank", "available", "selected",
                "detail / why not"), rows));
    }
}
