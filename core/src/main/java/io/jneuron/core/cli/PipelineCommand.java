package io.jneuron.core.cli;

import io.jneuron.core.pipeline.PipelineRequest;
import io.jneuron.core.pipeline.PipelineResult;
import io.jneuron.core.service.Context;
import io.jneuron.core.service.PipelineService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code jneuron pipeline TASK MODEL}: docs/cli.md. Parses into a {@link PipelineRequest} for {@link PipelineService}. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = "Run an encoder task (feature-extraction, text-classification, token-classification, fill-mask,"
                + " question-answering) on an exported folder, a checkpoint folder (exported on the fly with"
                + " --batch_size and --sequence_length) or a Hub id.")
public final class PipelineCommand extends ReportCommand {
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

    @Option(names = "--aggregation", description = "token-classification: word (default: one entity per word, label"
            + " of its first token), or transformers' aggregation_strategy none, simple, first, average, max"
            + " (B-/I- entity groups, keyed entity_group).")
    String aggregation;

    @Mixin
    ShapeOptions shape;

    @Mixin
    CommonOptions common;

    /** The parsed options as the service's request. */
    public PipelineRequest request() {
        return new PipelineRequest(task, model, inputs, question, context, topK, shape.request(), pooling, truncation,
                aggregation);
    }

    @Override
    public PipelineResult report(Context ctx) {
        return PipelineService.run(request(), common.apply(ctx));
    }
}
