package io.jneuron.neuron;

/** Where a tensor's storage lives ({@code nrt_tensor_placement_t}; the values are fixed by the runtime). */
public enum Placement {
    /** HBM of one NeuronCore: the normal choice on trn1/inf2. */
    DEVICE(0),
    /** DMA-able host memory, at most 4 MB; deprecated by the runtime. */
    HOST(1),
    /** Plain host memory; what an attached buffer becomes. */
    VIRTUAL(2);

    private final int code;

    Placement(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
