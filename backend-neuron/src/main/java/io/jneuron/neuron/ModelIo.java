package io.jneuron.neuron;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors for one model's inputs and outputs plus the two sets that name them (the dev guide's
 * call sequence, steps 4 to 7). Owns all of them: closing destroys the sets, then frees the tensors.
 * Not thread-safe: one execution at a time.
 */
public final class ModelIo implements AutoCloseable {
    private final NeuronModel model;
    private final TensorSet inputs;
    private final TensorSet outputs;
    private final Map<String, NeuronTensor> tensors = new LinkedHashMap<>();

    private ModelIo(NeuronModel model, TensorSet inputs, TensorSet outputs) {
        this.model = model;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    static ModelIo allocate(NeuronModel model, NeuronRuntime rt, Placement placement, int vnc) {
        ModelIo io = new ModelIo(model, rt.newTensorSet(), rt.newTensorSet());
        try {
            for (TensorInfo t : model.tensorInfo()) {
                NeuronTensor tensor = rt.allocateTensor(t.name(), t.size(), placement, placement == Placement.DEVICE ? vnc : -1);
                io.tensors.put(t.name(), tensor);
                (t.usage() == TensorInfo.Usage.INPUT ? io.inputs : io.outputs).put(t.name(), tensor);
            }
        } catch (RuntimeException e) {
            io.close();
            throw e;
        }
        return io;
    }

    /** The tensor for input or output {@code name}. */
    public NeuronTensor tensor(String name) {
        NeuronTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("model '" + model.name() + "' has no tensor '" + name + "'; it has "
                    + tensors.keySet());
        }
        return t;
    }

    public TensorSet inputs() {
        return inputs;
    }

    public TensorSet outputs() {
        return outputs;
    }

    public void execute() {
        model.execute(inputs, outputs);
    }

    @Override
    public void close() {
        inputs.close();
        outputs.close();
        tensors.values().forEach(NeuronTensor::close);
    }
}
