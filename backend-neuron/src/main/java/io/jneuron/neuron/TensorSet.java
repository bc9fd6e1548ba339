package io.jneuron.neuron;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Named tensors passed to {@link NeuronModel#execute}: the inputs or the outputs of one execution.
 * It holds its tensors (keeping them reachable) but does not own them: closing the set does not
 * close its tensors, as with {@code nrt_destroy_tensor_set}. Not thread-safe; use one pair of sets
 * per in-flight execution.
 */
public final class TensorSet implements AutoCloseable {
    private final NativeHandle handle;
    private final Cleaner.Cleanable cleanable;
    private final Map<String, NeuronTensor> members = new LinkedHashMap<>();

    private TensorSet(NativeHandle handle) {
        this.handle = handle;
        this.cleanable = NativeHandle.CLEANER.register(this, handle);
    }

    static TensorSet create(NeuronRuntime rt) {
        RuntimeState st = rt.state();
        st.enter();
        try {
            long[] out = new long[1];
            NrtLibrary.check(NrtLibrary.nSetAllocate(out), "nrt_allocate_tensor_set", "a new tensor set");
            return new TensorSet(new NativeHandle(st, NativeHandle.Kind.SET, "tensor set", out[0], NrtLibrary::nSetDestroy));
        } finally {
            st.exit();
        }
    }

    /** Adds {@code tensor} under {@code name} (the model's tensor name), replacing any tensor of that name. */
    public TensorSet put(String name, NeuronTensor tensor) {
        long s = handle.acquire();
        try {
            long t = tensor.handle().acquire();
            try {
                NrtLibrary.check(NrtLibrary.nSetAdd(s, name, t), "nrt_add_tensor_to_tensor_set",
                        "tensor '" + tensor.name() + "' as '" + name + "'");
                synchronized (members) {
                    members.put(name, tensor);
                }
            } finally {
                tensor.handle().release();
            }
        } finally {
            handle.release();
        }
        return this;
    }

    /** The tensor under {@code name}, or empty. */
    public Optional<NeuronTensor> get(String name) {
        synchronized (members) {
            return Optional.ofNullable(members.get(name));
        }
    }

    /** Names in the order they were first added. */
    public List<String> names() {
        synchronized (members) {
            return List.copyOf(members.keySet());
        }
    }

    /**
     * Looks {@code name} up in the runtime's own set ({@code nrt_get_tensor_from_tensor_set}); true if
     * it is there. Mirrors {@link #get} and exists to check the runtime agrees.
     */
    public boolean nativeContains(String name) {
        long s = handle.acquire();
        try {
            int status = NrtLibrary.nSetGet(s, name, new long[1]);
            if (status == NrtStatus.FAILURE.code()) {
                return false;
            }
            NrtLibrary.check(status, "nrt_get_tensor_from_tensor_set", "name '" + name + "'");
            return true;
        } finally {
            handle.release();
        }
    }

    /**
     * Enters the set and every member for one execution; the caller releases what this returns.
     * A member closed since it was added makes this fail, so a freed tensor never reaches libnrt.
     */
    long acquireAll(String role, List<NativeHandle> held) {
        long raw = handle.acquire();
        held.add(handle);
        List<NeuronTensor> tensors;
        synchronized (members) {
            tensors = new ArrayList<>(members.values());
        }
        for (NeuronTensor t : tensors) {
            try {
                t.handle().acquire();
            } catch (IllegalStateException e) {
                throw new IllegalStateException(t.handle().what() + " in the " + role + " set is closed", e);
            }
            held.add(t.handle());
        }
        return raw;
    }

    public boolean isClosed() {
        return handle.isClosed();
    }

    /** Destroys the set, not its tensors. Idempotent. */
    @Override
    public void close() {
        handle.markExplicit();
        cleanable.clean();
    }
}
