package io.jneuron.core.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.chat.ChatMessages;
import io.jneuron.core.chat.ChatTemplate;
import io.jneuron.core.export.CompiledModule;
import io.jneuron.core.export.ModelOpener;
import io.jneuron.core.generate.GenerationRequest;
import io.jneuron.core.generate.GenerationResult;
import io.jneuron.core.generate.Generator;
import io.jneuron.core.generate.SamplingParams;
import io.jneuron.core.generate.TokenListener;
import io.jneuron.core.model.SpecialTokens;
import io.jneuron.core.model.SpecialTokensReader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code jneuron generate}: DESIGN.md §3. Text mode streams tokens; JSON mode prints one document. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text with a model: an exported folder, a checkpoint folder (compiled on the fly "
                + "through the compile cache), or a Hub id (a checkpoint or an exported model; downloaded into the "
                + "Hugging Face cache).")
public final class GenerateCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

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

    @Option(names = "--max_new_tokens", defaultValue = "20", description = "Tokens to generate (default ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--greedy", description = "Greedy decoding (the default unless --temperature is given).")
    boolean greedy;

    @Option(names = "--temperature", description = "Sampling temperature.")
    Double temperature;

    @Option(names = "--top_k", defaultValue = "0", description = "Keep the k most likely tokens (0: off).")
    int topK;

    @Option(names = "--top_p", defaultValue = "1.0", description = "Nucleus sampling threshold (1: off).")
    double topP;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed.")
    long seed;

    @Option(names = "--top-logits", defaultValue = "0", description = "Report the K largest prefill logits per row.")
    int topLogits;

    @Option(names = "--split-batches", description = "Run more prompts than the compiled batch size in several runs.")
    boolean splitBatches;

    @Mixin
    ShapeOptions shape;

    @Mixin
    CommonOptions common;

    @Option(names = "--cache_dir", description = "Compile cache root for a checkpoint compiled on the fly (default: "
            + "NEURON_CC_FLAGS --cache_dir, NEURON_COMPILE_CACHE_URL, /var/tmp/neuron-compile-cache, as export).")
    String cacheDir;

    /**
     * What one generation produced; {@code streamed} says the text already went to the token listener.
     * {@code compiled} is the on-the-fly compile of a checkpoint (null when MODEL was an exported model).
     */
    public record Outcome(String backend, GenerationResult result, boolean streamed, CompiledModule compiled,
                          double exportMs, List<String> chatPrompts) {
    }

    @Option(names = "--chat", description = "Treat each prompt as chat messages (lines may start with system:, user:, "
            + "assistant:) and render them with the model's chat template, adding the generation prompt.")
    boolean chat;

    /** Whether --show-prompt was given (the magic shows the rendered prompt in the cell). */
    public boolean showsPrompt() {
        return showPrompt;
    }

    /** Where text mode shows rendered chat prompts before generating; null in JSON mode and in magics. */
    private PrintWriter promptOut;

    @Option(names = "--show-prompt", description = "Show the prompt the chat template rendered (with --chat).")
    boolean showPrompt;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        boolean json = common.json();
        ProgressListener progress = json ? ProgressListener.NONE : CommonOptions.stderrProgress(spec.commandLine().getErr());
        promptOut = json ? null : out;
        Outcome o = generate(progress, json ? null : streamTo(out));
        if (json) {
            out.println(toJson(o));
        } else {
            printText(out, o);
        }
    }

    /**
     * The parsed command's one core call, shared with {@code %%neuron_generate}. {@code listener} (may be
     * null) receives tokens only when a single prompt is decoded with a tokenizer, so deltas are text.
     */
    public Outcome generate(ProgressListener progress, TokenListener listener) {
        Settings settings = cacheDir == null ? common.settings() : common.settings().withCacheDir(cacheDir);
        // Bad input fails before any export or load starts.
        List<int[]> rows = new ArrayList<>();
        if (prompts.ids != null) {
            for (String s : prompts.ids) {
                rows.add(parseIds(s));
            }
        }
        SamplingParams sampling = sampling();
        if (chat && prompts.ids != null) {
            throw new NeuronKernelException("--chat renders text prompts with the chat template; use --prompt, not --prompt-ids");
        }
        if (showPrompt && !chat) {
            throw new NeuronKernelException("--show-prompt shows what --chat rendered; add --chat");
        }
        List<String> chatPrompts = null;
        try (ModelOpener.Opened opened = ModelOpener.open(model, shape.request(), settings, progress)) {
            if (prompts.ids == null) {
                if (opened.tokenizer() == null) {
                    throw new NeuronKernelException(model + " has no tokenizer.json; pass --prompt-ids instead of --prompt");
                }
                if (chat) {
                    chatPrompts = renderChat(opened);
                    if (showPrompt && promptOut != null) {
                        for (String p : chatPrompts) {
                            promptOut.println("-- prompt rendered by the chat template:");
                            promptOut.println(p);
                            promptOut.println("-- generated:");
                        }
                        promptOut.flush();
                    }
                    // The template wrote the special tokens itself, as transformers' apply_chat_template(tokenize=True).
                    chatPrompts.forEach(t -> rows.add(opened.tokenizer().encode(t, false)));
                } else {
                    for (String t : prompts.text) {
                        rows.add(opened.tokenizer().encode(t, true));
                    }
                }
            }
            SpecialTokens special = opened.tokenizer() != null ? opened.tokenizer().specialTokens()
                    : SpecialTokensReader.read(opened.exported().folder());
            GenerationRequest.Builder b = GenerationRequest.builder(rows).maxNewTokens(maxNewTokens)
                    .sampling(sampling).eosIds(special.eosIds()).splitBatches(splitBatches).topLogits(topLogits);
            if (special.padId() != null) {
                b.padId(special.padId());
            }
            boolean stream = listener != null && rows.size() == 1 && opened.tokenizer() != null;
            if (stream) {
                b.listener(listener);
            }
            GenerationResult result = new Generator(opened.model(), opened.tokenizer()).generate(b.build())
                    .withLoadMs(opened.loadMs());
            return new Outcome(opened.backend().name(), result, stream, opened.compiled(), opened.exportMs(), chatPrompts);
        }
    }

    private List<String> renderChat(ModelOpener.Opened opened) {
        ChatTemplate template = ChatTemplate.find(opened.exported().folder()).orElseThrow(() -> new NeuronKernelException(
                model + " has no chat template (chat_template in tokenizer_config.json, or chat_template.jinja); drop "
                        + "--chat and write the prompt yourself"));
        List<String> rendered = new ArrayList<>();
        for (String t : prompts.text) {
            rendered.add(template.render(ChatMessages.parse(t), true));
        }
        return rendered;
    }

    private SamplingParams sampling() {
        if (temperature == null) {
            if (topK != 0 || topP != 1.0) {
                throw new NeuronKernelException("--top_k and --top_p need --temperature (sampling); without it decoding is greedy");
            }
            return SamplingParams.GREEDY;
        }
        if (greedy) {
            throw new NeuronKernelException("--greedy and --temperature exclude each other; choose one");
        }
        return SamplingParams.sample(temperature, topK, topP, seed);
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

    private static TokenListener streamTo(PrintWriter out) {
        return (row, id, delta) -> {
            if (delta != null && !delta.isEmpty()) {
                out.print(delta);
                out.flush();
            }
        };
    }

    private void printText(PrintWriter out, Outcome o) {
        GenerationResult r = o.result();
        if (o.streamed()) {
            out.println();
        } else {
            for (GenerationResult.Row row : r.rows()) {
                out.println(r.rows().size() > 1 ? "[" + row.index() + "] " + display(row) : display(row));
            }
        }
        GenerationResult.Timings t = r.timings();
        if (o.compiled() != null) {
            out.println(String.format(Locale.ROOT, "-- compiled on the fly: cache %s in %.0f ms (%s)",
                    o.compiled().cache(), o.exportMs(), o.compiled().module()));
        }
        out.println(String.format(Locale.ROOT,
                "-- %s batch=%d seq=%d bucket=%d | load %.0f ms | prefill %d tok %.1f ms (%.1f tok/s) | decode %d tok %.1f ms (%.1f tok/s)",
                o.backend(), r.batchSize(), r.sequenceLength(), r.bucket(), t.loadMs(), t.promptTokens(),
                t.prefillMs(), t.prefillTokS(), t.decodeTokens(), t.decodeMs(), t.decodeTokS()));
    }

    /** A row's text, or its generated ids when the model has no tokenizer. */
    public static String display(GenerationResult.Row row) {
        if (row.text() != null) {
            return row.text();
        }
        StringBuilder sb = new StringBuilder();
        for (int id : row.generatedIds()) {
            sb.append(sb.length() == 0 ? "" : ",").append(id);
        }
        return sb.toString();
    }

    static String toJson(Outcome o) {
        GenerationResult r = o.result();
        ObjectMapper m = CommonOptions.JSON;
        ObjectNode root = m.createObjectNode();
        root.put("backend", o.backend());
        root.put("batch_size", r.batchSize());
        root.put("sequence_length", r.sequenceLength());
        root.put("bucket", r.bucket());
        if (o.chatPrompts() != null) {
            o.chatPrompts().forEach(root.putArray("chat_prompts")::add);
        }
        ArrayNode prompts = root.putArray("prompt_ids");
        ArrayNode generated = root.putArray("generated_ids");
        ArrayNode texts = root.putArray("text");
        ArrayNode finish = root.putArray("finish_reason");
        boolean tops = r.rows().stream().anyMatch(row -> row.prefillTopLogits() != null && !row.prefillTopLogits().isEmpty());
        ArrayNode topArr = tops ? root.putArray("prefill_top_logits") : null;
        for (GenerationResult.Row row : r.rows()) {
            ArrayNode p = prompts.addArray();
            for (int id : row.promptIds()) {
                p.add(id);
            }
            ArrayNode g = generated.addArray();
            for (int id : row.generatedIds()) {
                g.add(id);
            }
            if (row.text() != null) {
                texts.add(row.text());
            } else {
                texts.addNull();
            }
            finish.add(row.finishReason().toString());
            if (topArr != null) {
                ArrayNode list = topArr.addArray();
                for (GenerationResult.TokenLogit tl : row.prefillTopLogits()) {
                    list.addObject().put("id", tl.id()).put("logit", tl.logit());
                }
            }
        }
        GenerationResult.Timings t = r.timings();
        if (o.compiled() != null) {
            // A checkpoint compiled on the fly: the compile cache's verdict, as export reports it.
            root.putObject("export").put("cache", o.compiled().cache()).put("entry", o.compiled().entry())
                    .put("module", o.compiled().module().toString());
        }
        ObjectNode tim = root.putObject("timings");
        if (o.compiled() != null) {
            tim.put("export_ms", o.exportMs());
        }
        tim.put("load_ms", t.loadMs());
        tim.put("ttft_ms", t.ttftMs());
        tim.put("prefill_ms", t.prefillMs());
        tim.put("decode_ms", t.decodeMs());
        tim.put("prefill_tok_s", t.prefillTokS());
        tim.put("decode_tok_s", t.decodeTokS());
        return root.toString();
    }
}
