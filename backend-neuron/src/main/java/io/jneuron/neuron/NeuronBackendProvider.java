package io.jneuron.neuron;

import io.jneuron.core.Settings;
import io.jneuron.core.backend.Availability;
import io.jneuron.core.backend.Backend;
import io.jneuron.core.backend.BackendProvider;
import io.jneuron.core.backend.Capability;
import io.jneuron.core.backend.ModelRuntime;
import io.jneuron.neuron.compiler.OptimumCliExporter;
import io.jneuron.neuron.decoder.NeffDecoderRuntime;
import io.jneuron.neuron.device.NeuronDevices;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        return new NeuronBackend(config.get(), probe(settings));
    }

    /**
     * The backend as far as it goes: it runs decoder NEFFs through the JNI binding ({@link NeffDecoderRuntime}) where
     * libnrt and a device are present, and exports through optimum-cli where that is installed; it cannot compile a
     * checkpoint itself (that needs torch-xla tracing), and says so in {@link #capabilities()}.
     */
    static final class NeuronBackend implements Backend {
        private final Map<Capability, Availability> capabilities = new EnumMap<>(Capability.class);
        private final Optional<OptimumCliExporter> exporter = OptimumCliExporter.find();
        private final NeffDecoderRuntime runtime;

        NeuronBackend(NeuronConfig config, Availability device) {
            capabilities.put(Capability.EXPORT, exporter.map(c -> Availability.yes("optimum-cli at " + c.executable()))
                    .orElseGet(() -> Availability.no("no optimum-cli (searched " + OptimumCliExporter.searched()
                            + "); install optimum-neuron")));
            capabilities.put(Capability.COMPILE, Availability.no(OptimumCliExporter.checkpointCompileUnsupported().getMessage()));
            capabilities.put(Capability.RUN, device.available() ? Availability.yes("decoder NEFFs on " + device.reason())
                    : Availability.no(device.reason()));
            runtime = device.available() ? new NeffDecoderRuntime(config) : null;
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Map<Capability, Availability> capabilities() {
            return Collections.unmodifiableMap(capabilities);
        }

        @Override
        public Optional<io.jneuron.core.backend.Compiler> compiler() {
            return Optional.empty();
        }

        @Override
        public Optional<io.jneuron.core.backend.ModelExporter> modelExporter() {
            return exporter.map(io.jneuron.neuron.compiler.OptimumModelExporter::new);
        }

        @Override
        public Optional<ModelRuntime> runtime() {
            return Optional.ofNullable(runtime);
        }

        /** Closes the runtime binding, after the models loaded through it. */
        @Override
        public void close() {
            if (runtime != null) {
                runtime.close();
            }
        }
    }
}
