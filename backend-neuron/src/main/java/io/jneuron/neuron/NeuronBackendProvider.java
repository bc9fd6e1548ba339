package io.jneuron.neuron;

import io.jneuron.core.Settings;
import io.jneuron.core.backend.Availability;
import io.jneuron.core.backend.Backend;
import io.jneuron.core.backend.BackendProvider;
import io.jneuron.core.backend.BackendUnavailableException;
import io.jneuron.neuron.compiler.OptimumCliExporter;
import io.jneuron.neuron.device.NeuronDevices;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Registers the Neuron backend. Ranked first, so it is chosen whenever it is available: libnrt loads
 * and {@code /dev/neuron*} devices exist. Otherwise {@link #probe} says which of the two is missing.
 */
public final class NeuronBackendProvider implements BackendProvider {
    public static final String NAME = "neuron";

    private final Supplier<NeuronConfig> config;

    public NeuronBackendProvider() {
        this(NeuronConfig::fromEnvironment);
    }

    /** Tests point the probe at a stand-in library and a fake device tree. */
    NeuronBackendProvider(Supplier<NeuronConfig> config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int rank() {
        return 0;
    }

    /** Cheap and never throws: dlopen (once per process) and a directory listing. */
    @Override
    public Availability probe(Settings settings) {
        try {
            NeuronConfig cfg = config.get();
            NrtLibrary.Status lib = NrtLibrary.load(cfg);
            NeuronDevices.Inventory devices = NeuronDevices.scan(cfg.devRoot(), cfg.sysRoot());
            List<String> missing = new ArrayList<>();
            if (!lib.loaded()) {
                missing.add(lib.reason());
            }
            if (devices.isEmpty()) {
                missing.add(devices.note());
            }
            if (!missing.isEmpty()) {
                return Availability.no(String.join("; ", missing));
            }
            return Availability.yes("libnrt " + lib.path() + ", " + devices.devices().size() + " device(s), "
                    + devices.totalCores() + " NeuronCores");
        } catch (RuntimeException | LinkageError e) {
            return Availability.no("probe failed: " + e);
        }
    }

    /** Exporting needs optimum-cli (it traces and compiles for an --instance_type), not a device. */
    @Override
    public Availability probeExport(Settings settings) {
        return OptimumCliExporter.find().map(c -> Availability.yes("exports through " + c.executable()))
                .orElseGet(() -> Availability.no("no optimum-cli to export with (searched " + OptimumCliExporter.searched()
                        + "); install optimum-neuron"));
    }

    @Override
    public Backend create(Settings settings) {
        return new NeuronBackend();
    }

    /**
     * The backend as far as it goes today: the runtime binding ({@link NeuronRuntime}) and the HLO-level
     * compiler driver ({@link io.jneuron.neuron.compiler.NeuronxccDriver}) are real; compiling a checkpoint needs
     * torch-xla tracing, so it is delegated to optimum-cli, and decoding with NEFFs is still to come.
     */
    static final class NeuronBackend implements Backend {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public io.jneuron.core.backend.Compiler compiler() {
            // Checked here, not in Compiler.compile, so no cache module is created (and poisoned) for a compile
            // that can never run.
            throw OptimumCliExporter.checkpointCompileUnsupported();
        }

        @Override
        public java.util.Optional<io.jneuron.core.backend.ModelExporter> modelExporter() {
            return OptimumCliExporter.find().map(io.jneuron.neuron.compiler.OptimumModelExporter::new);
        }

        @Override
        public io.jneuron.core.backend.ModelRuntime runtime() {
            throw new BackendUnavailableException("the neuron backend cannot run decoders yet: generation on NeuronCores "
                    + "needs the neuronx-cc driver (issue 4); use --backend cpu, or run a NEFF with io.jneuron.neuron.NeuronRuntime");
        }

        @Override
        public void close() {
            // Nothing is held: the runtime binding is opened and closed by its own owner.
        }
    }
}
