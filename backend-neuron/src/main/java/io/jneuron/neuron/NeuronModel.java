package io.jneuron.neuron;

import io.jneuron.neuron.neff.IoManifest;
import io.jneuron.neuron.neff.NeffHeader;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A NEFF loaded on a NeuronCore, with its tensor info read once at load. Must be closed (unloaded)
 * after the executions that use it; the runtime unloads it at the latest. {@link #execute} may be
 * called from several threads, each with its own pair of tensor sets.
 */
public final class NeuronModel implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.jneuron.neuron");

    private final NeuronRuntime runtime;
    private final NativeHandle handle;
    private final Cleaner.Cleanable cleanable;
    private final String name;
    private final int vnc;
    private final List<TensorInfo> info;

    private NeuronModel(NeuronRuntime runtime, NativeHandle handle, String name, int vnc, List<TensorInfo> info) {
        this.runtime = runtime;
        this.handle = handle;
        this.name = name;
        this.vnc = vnc;
        this.info = info;
        this.cleanable = NativeHandle.CLEANER.register(this, handle);
    }

    /** One nrt_load variant: writes the model pointer into {@code out[0]} and returns the status. */
    interface Loader {
        int load(long[] out);
    }

    static NeuronModel load(NeuronRuntime rt, String name, int vnc, Loader loader) {
        RuntimeState st = rt.state();
        st.enter();
        try {
            long[] out = new long[1];
            NrtLibrary.check(loader.load(out), "nrt_load", "NEFF '" + name + "' on vnc " + vnc);
            NativeHandle h = new NativeHandle(st, NativeHandle.Kind.MODEL, "model '" + name + "'", out[0], m -> {
                int status = NrtLibrary.nUnload(m);
                if (status != 0) {
                    // close() has no caller to throw to when the leak net or the runtime unloads.
                    LOG.log(System.Logger.Level.WARNING, "nrt_unload of model '" + name + "' returned status " + status);
                }
            });
            List<TensorInfo> info;
            try {
                info = readInfo(out[0], rt.dtypeNumbering(), name);
            } catch (RuntimeException e) {
                h.markExplicit();
                h.run();
                throw e;
            }
            return new NeuronModel(rt, h, name, vnc, info);
        } finally {
            st.exit();
        }
    }

    static NeuronModel loadFile(NeuronRuntime rt, Path neff, int vnc) throws IOException {
        NeffHeader.read(neff);  // refuses a file that is not a NEFF before the runtime sees it
        MappedByteBuffer map;
        try (FileChannel ch = FileChannel.open(neff, StandardOpenOption.READ)) {
            map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        NeuronModel m = rt.load(map, neff.getFileName().toString(), vnc);
        try {
            Optional<IoManifest> sidecar = IoManifest.readBeside(neff);
            if (sidecar.isPresent()) {
                sidecar.get().check(m.tensorInfo(), neff.toString());
            }
        } catch (RuntimeException | IOException e) {
            m.close();
            throw e;
        }
        return m;
    }

    private static List<TensorInfo> readInfo(long model, Dtype.Numbering numbering, String name) {
        byte[][] out = new byte[1][];
        NrtLibrary.check(NrtLibrary.nTensorInfo(model, out), "nrt_get_model_tensor_info", "model '" + name + "'");
        // Layout written by the shim: u32 count, then per tensor name[256], i32 usage, i32 dtype,
        // u64 size, u32 ndim, u32 dims[ndim]; native byte order.
        ByteBuffer b = ByteBuffer.wrap(out[0]).order(ByteOrder.nativeOrder());
        int count = b.getInt();
        List<TensorInfo> list = new ArrayList<>(count);
        byte[] nameBytes = new byte[256];
        for (int i = 0; i < count; i++) {
            b.get(nameBytes);
            int len = 0;
            while (len < nameBytes.length && nameBytes[len] != 0) {
                len++;
            }
            String tensor = new String(nameBytes, 0, len, StandardCharsets.UTF_8);
            int usage = b.getInt();
            int dtype = b.getInt();
            long size = b.getLong();
            int ndim = b.getInt();
            List<Long> shape = new ArrayList<>(ndim);
            for (int d = 0; d < ndim; d++) {
                shape.add(Integer.toUnsignedLong(b.getInt()));
            }
            Dtype decoded = Dtype.decode(dtype, numbering, TensorInfo.elementSize(size, shape));
            list.add(new TensorInfo(tensor, usage == 0 ? TensorInfo.Usage.INPUT : TensorInfo.Usage.OUTPUT, size, dtype,
                    decoded, shape));
        }
        return Collections.unmodifiableList(list);
    }

    public String name() {
        return name;
    }

    /** The core asked for at load (-1: the runtime chose). */
    public int vnc() {
        return vnc;
    }

    /** Inputs and outputs in the runtime's order. */
    public List<TensorInfo> tensorInfo() {
        return info;
    }

    public List<TensorInfo> inputs() {
        return info.stream().filter(t -> t.usage() == TensorInfo.Usage.INPUT).toList();
    }

    public List<TensorInfo> outputs() {
        return info.stream().filter(t -> t.usage() == TensorInfo.Usage.OUTPUT).toList();
    }

    /** Runs once, synchronously: reads {@code inputs} by name and writes {@code outputs}. */
    public void execute(TensorSet inputs, TensorSet outputs) {
        List<NativeHandle> held = new ArrayList<>();
        try {
            long m = handle.acquire();
            held.add(handle);
            long in = inputs.acquireAll("input", held);
            long out = outputs.acquireAll("output", held);
            NrtLibrary.check(NrtLibrary.nExecute(m, in, out), "nrt_execute", "model '" + name + "'");
        } finally {
            for (int i = held.size() - 1; i >= 0; i--) {
                held.get(i).release();
            }
        }
    }

    /**
     * One tensor per input and output, sized from the tensor info, in two sets ready for
     * {@link #execute}: on this model's core ({@link Placement#DEVICE}) or in host memory.
     */
    public ModelIo newIo(Placement placement) {
        return ModelIo.allocate(this, runtime, placement, Math.max(vnc, 0));
    }

    public boolean isClosed() {
        return handle.isClosed();
    }

    /** Unloads; waits for executions in flight. Idempotent. */
    @Override
    public void close() {
        handle.markExplicit();
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "NeuronModel[" + name + ", vnc " + vnc + ", " + info.size() + " tensors" + (isClosed() ? ", closed" : "") + "]";
    }
}
