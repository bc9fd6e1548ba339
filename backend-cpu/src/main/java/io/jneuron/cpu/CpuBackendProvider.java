package io.jneuron.cpu;

import io.jneuron.core.Settings;
import io.jneuron.core.backend.Availability;
import io.jneuron.core.backend.Backend;
import io.jneuron.core.backend.BackendProvider;
import io.jneuron.cpu.tensor.Kernels;

/** Registers the CPU backend. Ranked after device backends, so it is chosen when no device is there. */
public final class CpuBackendProvider implements BackendProvider {
    public static final String NAME = "cpu";
    /** Recorded in artifacts and cache folders ({@code jneuron-cpu-<version>}); bump when the format changes. */
    public static final String VERSION = "0.1.0";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int rank() {
        return 100;
    }

    @Override
    public Availability probe(Settings settings) {
        return Availability.yes("pure Java, " + settings.threads() + " threads, " + Kernels.describe());
    }

    @Override
    public Backend create(Settings settings) {
        return new CpuBackend(settings);
    }
}
