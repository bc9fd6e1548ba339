package io.jneuron.magics;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.cli.PipelineCommand;
import io.jneuron.core.export.ModelKeeper;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code %%neuron_pipeline TASK MODEL [options]}: the {@code jneuron pipeline} command with one input per
 * line of the cell body (question-answering: the question on the first line, the context after it). The
 * {@link io.jneuron.core.pipeline.PipelineResult} is the cell's value: the task's table, a cosine-similarity matrix
 * when several sentences are embedded, and the timings.
 */
final class NeuronPipelineMagic {
    private NeuronPipelineMagic() {
    }

    static Object run(BaseKernel kernel, List<String> args, String body, ModelKeeper models) {
        List<String> lines = body == null ? List.of() : body.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        List<String> all = new ArrayList<>(args);
        boolean qa = args.contains("question-answering");
        if (qa && lines.size() >= 2) {
            all.addAll(List.of("--question", lines.get(0), "--context", String.join("\n", lines.subList(1, lines.size()))));
        } else if (!qa) {
            lines.forEach(l -> all.addAll(List.of("--input", l)));
        }
        if (lines.isEmpty() && !args.contains("--help") && !args.contains("-h")) {
            throw new NeuronKernelException("%%neuron_pipeline: the cell body holds the inputs, one per line, and it is empty");
        }
        return MagicArgs.run(kernel, "neuron_pipeline", new PipelineCommand(), all, ProgressListener.NONE, models);
    }
}
