package io.jneuron.core.cli;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.generate.TokenListener;
import io.jneuron.core.report.Render;
import io.jneuron.core.service.Context;
import io.jneuron.core.service.GenerateService;
import io.jneuron.core.service.Generation;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;

/** {@code jneuron generate} (docs/cli.md): text mode streams tokens, then the timings; JSON mode prints one document. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text with a model: an exported folder, a checkpoint folder (compiled on the fly "
                + "through the compile cache), or a Hub id (a checkpoint or an exported model; downloaded into the "
                + "Hugging Face cache).")
public final class GenerateCommand extends ReportCommand {
    @Parameters(index = "0", paramLabel = "MODEL")
    String model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Prompts prompts;

    static final class Prompts {
        @Option(names = "--prompt", description = "Prompt text (repeat for a batch).")
        List<String> text;

        @Option(names = "--prompt-ids", description = "Prompt token ids used verbatim, e.g. 1,2,3 (repeat for a batch).")
        List<String> ids;
    }

    // Unset options (null) come from the model's generation_config.json, then the defaults (docs/cli.md).
    @Option(names = "--max_new_tokens", description = "Tokens to generate (default: generation_config.json's "
            + "max_new_tokens or max_length, else 20).")
    Integer maxNewTokens;

    @Option(names = "--min_new_tokens", description = "Generate at least N tokens: EOS is suppressed until then "
            + "(default: generation_config.json, else 0).")
    Integer minNewTokens;

    @Option(names = "--repetition_penalty", description = "Penalise tokens already in the prompt or output: a positive "
            + "logit is divided by F, a negative one multiplied (default: generation_config.json, else 1 = off).")
    Double repetitionPenalty;

    @Option(names = "--greedy", description = "Greedy decoding, whatever generation_config.json says (greedy is also "
            + "the default without do_sample there).")
    boolean greedy;

    @Option(names = "--temperature", description = "Sample at this temperature (default: generation_config.json's, "
            + "when it sets do_sample).")
    Double temperature;

    @Option(names = "--top_k", description = "Keep the k most likely tokens when sampling (0: off; default: "
            + "generation_config.json, else 0).")
    Integer topK;

    @Option(names = "--top_p", description = "Nucleus sampling threshold (1: off; default: generation_config.json, "
            + "else 1).")
    Double topP;

    @Option(names = "--seed", description = "Sampling seed (default 0).")
    Long seed;

    @Option(names = "--top-logits", defaultValue = "0", description = "Report the K largest prefill logits per row.")
    int topLogits;

    @Option(names = "--chat", description = "Treat each prompt as chat messages (lines may start with system:, user:, "
            + "assistant:) and render them with the model's chat template, adding the generation prompt.")
    boolean chat;

    @Option(names = "--show-prompt", description = "Show the prompt the chat template rendered (with --chat) before "
            + "the generated text.")
    boolean showPrompt;

    @Option(names = "--split-batches", description = "Run more prompts than the compiled batch size in several runs.")
    boolean splitBatches;

    @Mixin
    ShapeOptions shape;

    @Mixin
    CommonOptions common;

    @Option(names = "--cache_dir", description = "Compile cache root for a checkpoint compiled on the fly (default: "
            + "NEURON_CC_FLAGS --cache_dir, NEURON_COMPILE_CACHE_URL, /var/tmp/neuron-compile-cache, as export).")
    String cacheDir;

    /** Text mode streams the tokens as they come, then prints the rest of the result. */
    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Render.Format format = format();
        Generation g = generate(context(format), format == Render.Format.JSON ? null
                : (row, id, delta) -> {
                    if (delta != null && !delta.isEmpty()) {
                        out.print(delta);
                        out.flush();
                    }
                });
        if (g.streamed()) {
            out.println();
        }
        Output.print(spec, format, g);
        return 0;
    }

    /** The parsed options as the service's request; bad ids and contradicting or invalid decoding options fail here. */
    public GenerateService.Request request() {
        List<int[]> ids = prompts.ids == null ? null : prompts.ids.stream().map(GenerateCommand::parseIds).toList();
        return new GenerateService.Request(model, prompts.text, ids, GenerateService.options(greedy, temperature, topK,
                topP, seed, maxNewTokens, minNewTokens, repetitionPenalty), topLogits, splitBatches, shape.request(),
                chat, showPrompt);
    }

    @Override
    public Generation report(Context ctx) {
        return generate(ctx, null);
    }

    /** {@link #report} with tokens streamed to {@code listener} (see {@link GenerateService#generate}). */
    public Generation generate(Context ctx, TokenListener listener) {
        Context c = common.apply(ctx);
        return GenerateService.generate(request(), listener, cacheDir == null ? c : c.withSettings(c.settings()
                .withCacheDir(cacheDir)));
    }

    static int[] parseIds(String s) {
        String[] parts = s.split(",");
        int[] ids = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                ids[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new NeuronKernelException("--prompt-ids '" + s + "': '" + parts[i] + "' is not an integer; "
                        + "give comma-separated token ids like 1,2,3");
            }
        }
        return ids;
    }
}
