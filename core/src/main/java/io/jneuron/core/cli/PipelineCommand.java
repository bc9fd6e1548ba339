package io.jneuron.core.cli;

import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.pipeline.EncoderPipeline;
import io.jneuron.core.pipeline.PipelineOutput;
import io.jneuron.core.pipeline.PipelineRequest;
import io.jneuron.core.pipeline.PipelineResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** {@code jneuron pipeline TASK MODEL}: docs/cli.md. Parses, makes one core call, renders. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Run an encoder task (feature-extraction, text-classification, token-classification, fill-mask,"
                + " question-answering) on an exported folder, a checkpoint folder (exported on the fly with"
                + " --batch_size and --sequence_length) or a Hub id.")
public final class PipelineCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TASK")
    String task;

    @Parameters(index = "1", paramLabel = "MODEL")
    String model;

    @Option(names = "--input", description = "An input text (repeat for several; more than the batch size run in"
            + " several batches).")
    List<String> inputs;

    @Option(names = "--question", description = "question-answering: the question.")
    String question;

    @Option(names = "--context", description = "question-answering: the context holding the answer.")
    String context;

    @Option(names = "--top_k", defaultValue = "5", description = "fill-mask: predictions per input (default ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--pooling", description = "feature-extraction: cls, mean or none (default: the model's"
            + " sentence-transformers pooling, else mean over real tokens).")
    String pooling;

    @Option(names = "--truncation", description = "Cut inputs longer than the compiled sequence_length instead of"
            + " refusing them.")
    boolean truncation;

    @Mixin
    ShapeOptions shape;

    @Mixin
    CommonOptions common;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        boolean json = common.json();
        ProgressListener progress = json ? ProgressListener.NONE : Output.stderrProgress(spec.commandLine().getErr());
        PipelineResult r = EncoderPipeline.run(request(), common.settings(), progress);
        out.println(json ? r.toJson() : text(r));
        out.flush();
    }

    /** Backend and threads as the options say (shared with {@code %%neuron_pipeline}). */
    public io.jneuron.core.Settings settings() {
        return common.settings();
    }

    /** The parsed options as a core request (shared with {@code %%neuron_pipeline}). */
    public PipelineRequest request() {
        return new PipelineRequest(task, model, inputs, question, context, topK, shape.request(), pooling, truncation);
    }

    private static String text(PipelineResult r) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < r.outputs().size(); i++) {
            PipelineOutput o = r.outputs().get(i);
            b.append(i + 1).append(": ");
            if (o instanceof PipelineOutput.Embedding e) {
                float[] v = e.embedding() != null ? e.embedding() : e.tokenEmbeddings()[0];
                b.append(String.format(Locale.ROOT, "%d tokens, embedding[%d] = [%.4f, %.4f, %.4f, ...]%s",
                        e.inputIds().length, v.length, v[0], v[1], v[2], e.embedding() == null ? " (first token)" : ""));
            } else if (o instanceof PipelineOutput.Classification c) {
                b.append(String.format(Locale.ROOT, "%s (%.4f)", c.label(), c.score()));
            } else if (o instanceof PipelineOutput.Entities en) {
                en.entities().forEach(x -> b.append(String.format(Locale.ROOT, "[%s %s %.3f %d-%d] ", x.word(),
                        x.entity(), x.score(), x.start(), x.end())));
            } else if (o instanceof PipelineOutput.FillMask f) {
                f.predictions().forEach(p -> b.append(String.format(Locale.ROOT, "%s (%.4f) ", p.tokenStr(), p.score())));
            } else if (o instanceof PipelineOutput.Answer a) {
                b.append(String.format(Locale.ROOT, "\"%s\" (%.4f, chars %d-%d)", a.answer(), a.score(), a.start(), a.end()));
            }
            b.append('\n');
        }
        b.append(String.format(Locale.ROOT, "%s on %s, batch %d x sequence %d: load %.0f ms, run %.0f ms, %.1f inputs/s",
                r.task(), r.backend(), r.batchSize(), r.sequenceLength(), r.timings().get("load_ms"),
                r.timings().get("run_ms"), r.timings().get("inputs_per_s")));
        return b.toString();
    }
}
