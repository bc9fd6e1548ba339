package io.jneuron.neuron;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One runtime tensor. Made by {@link NeuronRuntime#allocateTensor} (own storage) or
 * {@link NeuronRuntime#wrapTensor} (a direct buffer attached with no copy). Must be closed, after
 * the tensor sets that hold it are done executing; the runtime closes it at the latest. Copies may
 * run from several threads, but not while an execution uses the tensor.
 */
public final class NeuronTensor implements AutoCloseable {
    private final NativeHandle handle;
    private final Cleaner.Cleanable cleanable;
    private final String name;
    private final long size;
    private final Placement placement;

    private NeuronTensor(NativeHandle handle, String name, long size, Placement placement) {
        this.handle = handle;
        this.name = name;
        this.size = size;
        this.placement = placement;
        this.cleanable = NativeHandle.CLEANER.register(this, handle);
    }

    static NeuronTensor allocate(NeuronRuntime rt, String name, long size, Placement placement, int vnc) {
        if (size < 0) {
            throw new IllegalArgumentException("tensor '" + name + "' size must be >= 0, got " + size);
        }
        RuntimeState st = rt.state();
        st.enter();
        try {
            long[] out = new long[1];
            NrtLibrary.check(NrtLibrary.nTensorAllocate(placement.code(), vnc, size, name, out), "nrt_tensor_allocate",
                    "tensor '" + name + "' (" + size + " bytes, " + placement + ", vnc " + vnc + ")");
            return new NeuronTensor(new NativeHandle(st, NativeHandle.Kind.TENSOR, "tensor '" + name + "'", out[0],
                    NrtLibrary::nTensorFree), name, size, placement);
        } finally {
            st.exit();
        }
    }

    static NeuronTensor wrap(NeuronRuntime rt, String name, ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("tensor '" + name + "' needs a direct ByteBuffer to attach (zero copy); "
                    + "use ByteBuffer.allocateDirect or allocateTensor and write()");
        }
        RuntimeState st = rt.state();
        st.enter();
        try {
            long[] out = new long[1];
            NrtLibrary.check(NrtLibrary.nTensorAllocateEmpty(name, out), "nrt_tensor_allocate_empty", "tensor '" + name + "'");
            NativeHandle h = new NativeHandle(st, NativeHandle.Kind.TENSOR, "tensor '" + name + "'", out[0],
                    NrtLibrary::nTensorFree);
            NeuronTensor t = new NeuronTensor(h, name, buffer.capacity(), Placement.VIRTUAL);
            try {
                // The runtime points into the buffer from here on; the handle keeps it reachable until freed.
                h.keepAlive(buffer);
                NrtLibrary.check(NrtLibrary.nTensorAttach(out[0], buffer), "nrt_tensor_attach_buffer", "tensor '" + name + "'");
            } catch (RuntimeException e) {
                t.close();
                throw e;
            }
            return t;
        } finally {
            st.exit();
        }
    }

    public String name() {
        return name;
    }

    /** Bytes. */
    public long size() {
        return size;
    }

    public Placement placement() {
        return placement;
    }

    /** The size libnrt reports ({@code nrt_tensor_get_size}). */
    public long nativeSize() {
        long h = handle.acquire();
        try {
            return NrtLibrary.nTensorSize(h);
        } finally {
            handle.release();
        }
    }

    /** Copies {@code src}'s remaining bytes into the tensor at {@code offset}; {@code src}'s position is unchanged. */
    public void write(long offset, ByteBuffer src) {
        copy(true, offset, src);
    }

    /** Fills {@code dst}'s remaining bytes from the tensor at {@code offset}; {@code dst}'s position is unchanged. */
    public void read(long offset, ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("cannot read tensor '" + name + "' into a read-only buffer");
        }
        copy(false, offset, dst);
    }

    public void write(byte[] src) {
        write(0, ByteBuffer.wrap(src));
    }

    /** The whole tensor as bytes (must fit a Java array). */
    public byte[] readBytes() {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor '" + name + "' is " + size + " bytes; read it into a direct buffer");
        }
        byte[] b = new byte[(int) size];
        read(0, ByteBuffer.wrap(b));
        return b;
    }

    /** Writes floats little-endian (the device byte order) from offset 0. */
    public void writeFloats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        write(0, b);
    }

    public float[] readFloats() {
        float[] f = new float[(int) (size / 4)];
        ByteBuffer.wrap(readBytes()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    private void copy(boolean write, long offset, ByteBuffer buf) {
        int n = buf.remaining();
        if (offset < 0 || offset > size || n > size - offset) {
            throw new IndexOutOfBoundsException((write ? "writing " : "reading ") + n + " bytes at offset " + offset
                    + " of tensor '" + name + "' (" + size + " bytes)");
        }
        String fn = write ? "nrt_tensor_write" : "nrt_tensor_read";
        long h = handle.acquire();
        try {
            int status;
            if (buf.isDirect()) {
                status = NrtLibrary.nTensorCopyBuffer(write, h, buf, buf.position(), offset, n);
            } else if (buf.hasArray()) {
                status = NrtLibrary.nTensorCopyArray(write, h, buf.array(), buf.arrayOffset() + buf.position(), offset, n);
            } else {
                // A read-only heap buffer hides its array: copy through one of ours.
                byte[] tmp = new byte[n];
                buf.duplicate().get(tmp);
                status = NrtLibrary.nTensorCopyArray(true, h, tmp, 0, offset, n);
            }
            NrtLibrary.check(status, fn, "tensor '" + name + "'");
        } finally {
            handle.release();
        }
    }

    NativeHandle handle() {
        return handle;
    }

    public boolean isClosed() {
        return handle.isClosed();
    }

    /** Frees the tensor; waits for calls in flight. Idempotent. */
    @Override
    public void close() {
        handle.markExplicit();
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "NeuronTensor[" + name + ", " + size + " bytes, " + placement + (isClosed() ? ", closed" : "") + "]";
    }
}
