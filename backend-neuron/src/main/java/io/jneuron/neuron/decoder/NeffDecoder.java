package io.jneuron.neuron.decoder;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.backend.DecodeSession;
import io.jneuron.core.backend.LoadedModel;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.shape.ShapeSpec;
import io.jneuron.neuron.Dtype;
import io.jneuron.neuron.ModelIo;
import io.jneuron.neuron.NeuronModel;
import io.jneuron.neuron.Placement;
import io.jneuron.neuron.TensorInfo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A decoder NEFF loaded on a NeuronCore, behind the same {@link LoadedModel} / {@link DecodeSession} contract as
 * the CPU decoders, so {@code generate} runs it through the backend SPI unchanged.
 *
 * <p>The NEFF contract this runtime speaks (checked at load against the runtime's tensor info): inputs
 * {@code input_ids} int32 {@code [batch_size, sequence_length]} (right-padded) and {@code lengths} int32
 * {@code [batch_size]}; output {@code logits} float32 {@code [batch_size, vocab]} at each row's last real token.
 * The NEFF is stateless: every step runs the whole static-shape sequence (no on-device KV cache yet), which is
 * correct and static but does work quadratic in the length. NEFFs made by optimum-neuron (NxD's context and
 * token-generation graphs with on-device KV state) use another contract and are not run here.
 */
final class NeffDecoder implements LoadedModel {
    private final NeuronModel model;
    private final ShapeSpec shape;
    private final ModelConfig config;

    NeffDecoder(NeuronModel model, ShapeSpec shape, ModelConfig config) {
        this.model = model;
        this.shape = shape;
        this.config = config;
        int b = shape.batchSize();
        expect("input_ids", TensorInfo.Usage.INPUT, Dtype.INT32, List.of((long) b, (long) shape.sequenceLength()));
        expect("lengths", TensorInfo.Usage.INPUT, Dtype.INT32, List.of((long) b));
        expect("logits", TensorInfo.Usage.OUTPUT, Dtype.FLOAT32, List.of((long) b, (long) config.vocabSize()));
    }

    private void expect(String name, TensorInfo.Usage usage, Dtype dtype, List<Long> dims) {
        TensorInfo t = model.tensorInfo().stream().filter(i -> i.name().equals(name)).findFirst().orElse(null);
        if (t == null || t.usage() != usage || t.dtype() != dtype || !t.shape().equals(dims)) {
            throw new NeuronKernelException("NEFF " + model.name() + ": expected " + usage.name().toLowerCase() + " '"
                    + name + "' " + dtype + " " + dims + ", found " + (t == null ? "none" : t.dtype() + " " + t.shape())
                    + "; this runtime runs NEFFs with inputs input_ids [batch, sequence] and lengths [batch] and output "
                    + "logits [batch, vocab] (re-export it for these shapes)");
        }
    }

    @Override
    public ShapeSpec shape() {
        return shape;
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public DecodeSession newSession() {
        return new Session();
    }

    @Override
    public void close() {
        model.close();
    }

    /** Host copies of every row's tokens; each step writes them whole and reads the logits back. */
    private final class Session implements DecodeSession {
        private final ModelIo io = model.newIo(Placement.DEVICE);
        private final int[][] tokens = new int[shape.batchSize()][shape.sequenceLength()];
        private final int[] lengths = new int[shape.batchSize()];

        @Override
        public float[][] prefill(int[][] rows, int[] rowLengths) {
            for (int b = 0; b < tokens.length; b++) {
                java.util.Arrays.fill(tokens[b], 0);
                System.arraycopy(rows[b], 0, tokens[b], 0, Math.min(rows[b].length, tokens[b].length));
                lengths[b] = rowLengths[b];
            }
            return run();
        }

        @Override
        public float[][] decode(int[] next) {
            for (int b = 0; b < tokens.length; b++) {
                if (lengths[b] >= shape.sequenceLength()) {
                    throw new NeuronKernelException("row " + b + " is at the compiled sequence_length "
                            + shape.sequenceLength() + "; no room to decode another token");
                }
                tokens[b][lengths[b]++] = next[b];
            }
            return run();
        }

        private float[][] run() {
            ByteBuffer ids = ByteBuffer.allocate(tokens.length * shape.sequenceLength() * 4).order(ByteOrder.LITTLE_ENDIAN);
            java.nio.IntBuffer view = ids.asIntBuffer();
            for (int[] row : tokens) {
                view.put(row);
            }
            ByteBuffer lens = ByteBuffer.allocate(lengths.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            lens.asIntBuffer().put(lengths);
            io.tensor("input_ids").write(ids.array());
            io.tensor("lengths").write(lens.array());
            io.execute();
            float[] flat = io.tensor("logits").readFloats();
            int vocab = config.vocabSize();
            float[][] out = new float[tokens.length][vocab];
            for (int b = 0; b < out.length; b++) {
                System.arraycopy(flat, b * vocab, out[b], 0, vocab);
            }
            return out;
        }

        @Override
        public void close() {
            io.close();
        }
    }
}
