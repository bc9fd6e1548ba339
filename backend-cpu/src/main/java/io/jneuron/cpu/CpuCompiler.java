package io.jneuron.cpu;

import io.jneuron.core.backend.Compiler;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.model.EncoderConfig;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.shape.ShapeException;
import io.jneuron.core.shape.ShapeSpec;
import io.jneuron.cpu.artifact.ArtifactWriter;
import io.jneuron.cpu.decoder.WeightMapping;
import io.jneuron.cpu.encoder.EncoderMapping;
import io.jneuron.cpu.gpt2.Gpt2Mapping;
import io.jneuron.cpu.llama.LlamaMapping;

import java.nio.file.Path;

/**
 * The CPU "compiler": specialises a checkpoint for static shapes and a precision by casting and
 * packing its weights into the kernels' layout, in one artifact file.
 */
final class CpuCompiler implements Compiler {
    @Override
    public String version() {
        return CpuBackendProvider.VERSION;
    }

    @Override
    public void compile(Checkpoint checkpoint, ShapeSpec shape, Path artifact, ProgressListener progress) {
        ModelConfig c = checkpoint.config();
        if (c.architecture() == io.jneuron.core.model.Architecture.GPT2
                && shape.sequenceLength() > c.maxPositionEmbeddings()) {
            throw new ShapeException("sequence_length " + shape.sequenceLength() + " exceeds the model's n_positions "
                    + c.maxPositionEmbeddings() + " (GPT-2 has learned positions); export with --sequence_length "
                    + c.maxPositionEmbeddings() + " or less");
        }
        WeightMapping mapping = switch (c.architecture()) {
            case GPT2 -> new Gpt2Mapping(checkpoint, shape.dtype());
            case BERT, DISTILBERT, ROBERTA, XLM_ROBERTA -> encoder(checkpoint, shape);
            default -> new LlamaMapping(checkpoint, shape.dtype());
        };
        ArtifactWriter.write(artifact, version(), checkpoint.directory().toAbsolutePath().toString(), c,
                shape.toString(), mapping.sources(), progress);
    }

    private static WeightMapping encoder(Checkpoint checkpoint, ShapeSpec shape) {
        EncoderConfig enc = EncoderConfig.read(checkpoint.directory().resolve(Checkpoint.CONFIG));
        int positions = checkpoint.config().maxPositionEmbeddings() - enc.positionOffset();
        if (shape.sequenceLength() > positions) {
            throw new ShapeException("sequence_length " + shape.sequenceLength() + " exceeds the " + positions
                    + " positions of this " + checkpoint.config().architecture().modelType()
                    + " model (learned position embeddings); export with --sequence_length " + positions + " or less");
        }
        return new EncoderMapping(checkpoint, enc, shape.dtype());
    }
}
