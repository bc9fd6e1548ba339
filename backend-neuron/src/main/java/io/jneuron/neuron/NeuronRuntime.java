package io.jneuron.neuron;

import io.jneuron.neuron.device.VisibleCores;
import io.jneuron.neuron.neff.NeffFormatException;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Neuron runtime of this process: {@code nrt_init} on open, {@code nrt_close} on close. It owns
 * every model, tensor and tensor set made through it; closing it closes what is still open in order
 * (sets, tensors, models) and waits for calls in flight. Only one can be open per process, because
 * nrt_init claims NeuronCores for the whole process.
 *
 * <p>Thread-safe: models may execute from several threads at once; each tensor set should belong to
 * one in-flight execution at a time (the runtime does not document set thread safety).
 */
public final class NeuronRuntime implements AutoCloseable {
    private final RuntimeState state;
    private final Cleaner.Cleanable cleanable;
    private final String libraryPath;
    private final RuntimeVersion version;
    private final Dtype.Numbering numbering;

    private NeuronRuntime(RuntimeState state, String libraryPath, RuntimeVersion version, Dtype.Numbering numbering) {
        this.state = state;
        this.libraryPath = libraryPath;
        this.version = version;
        this.numbering = numbering;
        this.cleanable = NativeHandle.CLEANER.register(this, state);
    }

    /** Opens with the configuration from system properties and the environment as it is. */
    public static NeuronRuntime open() {
        return open(NeuronConfig.fromEnvironment(), Map.of());
    }

    /**
     * Loads libnrt, sets {@code environment} in the process (the runtime reads {@code NEURON_RT_*}
     * during nrt_init; a null value unsets) and calls nrt_init.
     *
     * @throws NativeException if the library is missing or nrt_init fails
     * @throws IllegalStateException if another runtime is open in this process
     * @throws io.jneuron.core.NeuronKernelException if NEURON_RT_VISIBLE_CORES / NUM_CORES are malformed
     */
    public static NeuronRuntime open(NeuronConfig config, Map<String, String> environment) {
        NrtLibrary.Status lib = NrtLibrary.require(config);
        Map<String, String> env = new LinkedHashMap<>(environment);
        // Check the core variables here: the runtime would only log a malformed value.
        Map<String, String> merged = new LinkedHashMap<>(System.getenv());
        merged.putAll(env);
        VisibleCores.parse(merged.get(VisibleCores.VISIBLE_CORES), merged.get(VisibleCores.NUM_CORES));
        RuntimeState state = RuntimeState.claim();
        boolean initialised = false;
        try {
            env.forEach(NrtLibrary::setenv);
            NrtLibrary.check(NrtLibrary.nInit(), "nrt_init", "the process (framework NO_FW)");
            initialised = true;
            RuntimeVersion v = readVersion();
            return new NeuronRuntime(state, lib.path(), v, Dtype.numberingFor(config.dtypeNumbering(), v));
        } catch (RuntimeException e) {
            if (initialised) {
                NrtLibrary.nClose();
            }
            state.abandon();
            throw e;
        }
    }

    /** nrt_get_version, callable before nrt_init; also used by the probe. */
    static RuntimeVersion readVersion() {
        long[] n = new long[4];
        String[] s = new String[2];
        NrtLibrary.check(NrtLibrary.nVersion(n, s), "nrt_get_version", "the runtime");
        return new RuntimeVersion(n[0], n[1], n[2], n[3], s[0], s[1]);
    }

    public RuntimeVersion version() {
        return version;
    }

    /** The libnrt file that was loaded (the override, the install path, or the soname). */
    public String libraryPath() {
        return libraryPath;
    }

    /** The dtype table used to read tensor info, chosen by version or configuration. */
    public Dtype.Numbering dtypeNumbering() {
        return numbering;
    }

    /** NeuronCores this process may use (NEURON_RT_VISIBLE_CORES / NUM_CORES applied). */
    public int visibleCores() {
        return coreCount(true);
    }

    /** NeuronCores on the machine, ignoring the environment. */
    public int totalCores() {
        return coreCount(false);
    }

    private int coreCount(boolean visible) {
        state.enter();
        try {
            int[] out = new int[1];
            NrtLibrary.check(NrtLibrary.nCoreCount(visible, out), visible ? "nrt_get_visible_nc_count"
                    : "nrt_get_total_nc_count", "the runtime");
            return out[0];
        } finally {
            state.exit();
        }
    }

    /**
     * Loads a NEFF file on core {@code vnc} (relative to the visible cores; -1 lets the runtime
     * choose). The file is memory-mapped, not copied. If {@code <file>.io.json} exists beside it,
     * the runtime's tensor info is checked against it.
     *
     * @throws NeffFormatException if the file is not a NEFF
     * @throws io.jneuron.neuron.neff.IoManifest.MismatchException if the sidecar disagrees with the runtime
     */
    public NeuronModel load(Path neff, int vnc) throws IOException {
        return NeuronModel.loadFile(this, neff, vnc);
    }

    /** Loads a NEFF held in memory; {@code name} is used in messages. */
    public NeuronModel load(byte[] neff, String name, int vnc) {
        Objects.requireNonNull(neff, "neff");
        return NeuronModel.load(this, name, vnc, out -> NrtLibrary.nLoadArray(neff, vnc, -1, out));
    }

    /** Loads a NEFF from a direct (or memory-mapped) buffer, from position 0 to its limit. */
    public NeuronModel load(ByteBuffer neff, String name, int vnc) {
        if (!neff.isDirect()) {
            throw new IllegalArgumentException("load(ByteBuffer) needs a direct or mapped buffer; use load(byte[]) for " + name);
        }
        return NeuronModel.load(this, name, vnc, out -> NrtLibrary.nLoadBuffer(neff, neff.limit(), vnc, -1, out));
    }

    /** A tensor with its own storage: on a core ({@link Placement#DEVICE}, {@code vnc}) or in host memory. */
    public NeuronTensor allocateTensor(String name, long size, Placement placement, int vnc) {
        return NeuronTensor.allocate(this, name, size, placement, vnc);
    }

    /**
     * A host tensor over {@code buffer} (direct), with no copy: the runtime reads inputs from it and
     * writes outputs into it. The tensor keeps the buffer reachable until it is closed.
     */
    public NeuronTensor wrapTensor(String name, ByteBuffer buffer) {
        return NeuronTensor.wrap(this, name, buffer);
    }

    public TensorSet newTensorSet() {
        return TensorSet.create(this);
    }

    RuntimeState state() {
        return state;
    }

    /** Handles still open under this runtime (sets, tensors and models). */
    public int openHandles() {
        return state.liveCount();
    }

    public boolean isOpen() {
        return state.isOpen();
    }

    /** Closes sets, tensors and models still open, then nrt_close. Idempotent. */
    @Override
    public void close() {
        state.markExplicit();
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "NeuronRuntime[" + version + ", " + libraryPath + (isOpen() ? "" : ", closed") + "]";
    }
}
