package io.jneuron.core.service;

import io.jneuron.core.chat.ChatMessages;
import io.jneuron.core.chat.ChatTemplate;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.export.ModelOpener;
import io.jneuron.core.export.ShapeRequest;
import io.jneuron.core.generate.GenerationRequest;
import io.jneuron.core.generate.GenerationResult;
import io.jneuron.core.generate.Generator;
import io.jneuron.core.generate.GenerationOptions;
import io.jneuron.core.generate.GenerationSettings;
import io.jneuron.core.generate.SamplingParams;
import io.jneuron.core.generate.TokenListener;
import io.jneuron.core.model.GenerationConfig;
import io.jneuron.core.model.SpecialTokens;
import io.jneuron.core.model.SpecialTokensReader;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code generate}: open MODEL (an exported model, or a checkpoint compiled on the fly through the compile cache; a Hub
 * id is downloaded first), then generate.
 */
public final class GenerateService {
    private GenerateService() {
    }

    /**
     * What to generate from. Exactly one of {@code prompts} (text, tokenized with special tokens) and
     * {@code promptIds} (used verbatim) is non-null; more than one prompt is a batch. {@code options} holds what the
     * user set; the rest comes from the model's generation_config.json, then the defaults ({@link GenerationSettings}).
     */
    public record Request(String model, List<String> prompts, List<int[]> promptIds, GenerationOptions options,
                          int topLogits, boolean splitBatches, ShapeRequest shape, boolean chat, boolean showPrompt) {
        public Request(String model, List<String> prompts, List<int[]> promptIds, GenerationOptions options,
                       int topLogits, boolean splitBatches, ShapeRequest shape) {
            this(model, prompts, promptIds, options, topLogits, splitBatches, shape, false, false);
        }

        /**
         * {@code maxNewTokens} and, when not null, {@code sampling} fixed by the caller (null: the model's
         * generation_config.json decides, greedy without one); the form notebook 02 uses.
         */
        public Request(String model, List<String> prompts, List<int[]> promptIds, int maxNewTokens,
                       SamplingParams sampling, int topLogits, boolean splitBatches, ShapeRequest shape) {
            this(model, prompts, promptIds, (sampling == null ? GenerationOptions.NONE : GenerationOptions.of(sampling))
                    .withMaxNewTokens(maxNewTokens), topLogits, splitBatches, shape);
        }

        public Request {
            if (chat && prompts == null) {
                throw new NeuronKernelException("--chat renders text prompts with the chat template; use --prompt, not "
                        + "--prompt-ids");
            }
            if (showPrompt && !chat) {
                throw new NeuronKernelException("--show-prompt shows what --chat rendered; add --chat");
            }
            if ((prompts == null) == (promptIds == null)) {
                throw new NeuronKernelException("give either prompts or prompt ids, not " + (prompts == null ? "neither"
                        : "both"));
            }
            prompts = prompts == null ? null : List.copyOf(prompts);
            promptIds = promptIds == null ? null : List.copyOf(promptIds);
            options = options == null ? GenerationOptions.NONE : options;
            shape = shape == null ? ShapeRequest.NONE : shape;
        }

        /**
         * {@code maxNewTokens} tokens after {@code prompt}, shapes from the model, the other settings from its
         * generation_config.json (greedy without one).
         */
        public static Request of(String model, String prompt, int maxNewTokens) {
            return new Request(model, List.of(prompt), null, GenerationOptions.maxNewTokens(maxNewTokens), 0, false,
                    null);
        }

        /** The same request with other decoding options. */
        public Request withOptions(GenerationOptions o) {
            return new Request(model, prompts, promptIds, o, topLogits, splitBatches, shape, chat, showPrompt);
        }
    }

    /**
     * The decoding options the generate command line gives: --greedy or --temperature fix do_sample; anything left
     * unset (null) comes from the model's generation_config.json or the defaults.
     *
     * @throws NeuronKernelException for contradicting or invalid options, naming them
     */
    public static GenerationOptions options(boolean greedy, Double temperature, Integer topK, Double topP, Long seed,
                                            Integer maxNewTokens, Integer minNewTokens, Double repetitionPenalty) {
        if (greedy && temperature != null) {
            throw new NeuronKernelException("--greedy and --temperature exclude each other; choose one");
        }
        Boolean doSample = greedy ? Boolean.FALSE : temperature != null ? Boolean.TRUE : null;
        return new GenerationOptions(maxNewTokens, minNewTokens, doSample, temperature, topK, topP, repetitionPenalty,
                seed);
    }

    /**
     * Generates; {@code listener} (may be null) receives tokens only when a single prompt is decoded with a
     * tokenizer, so its deltas are text ({@link Generation#streamed()}).
     */
    public static Generation generate(Request req, TokenListener listener, Context ctx) {
        try (ModelOpener.Opened opened = ctx.open(req.model(), req.shape(), true)) {
            return opened.use(o -> generate(req, listener, o));
        }
    }

    private static Generation generate(Request req, TokenListener listener, ModelOpener.Opened opened) {
        List<int[]> rows = new ArrayList<>();
        List<String> chatPrompts = null;
        if (req.promptIds() != null) {
            rows.addAll(req.promptIds());
        } else {
            if (opened.tokenizer() == null) {
                throw new NeuronKernelException(req.model() + " has no tokenizer.json; pass --prompt-ids instead of --prompt");
            }
            if (req.chat()) {
                chatPrompts = renderChat(req, opened);
                // The template wrote the special tokens itself, as transformers' apply_chat_template(tokenize=True).
                chatPrompts.forEach(t -> rows.add(opened.tokenizer().encode(t, false)));
            } else {
                for (String t : req.prompts()) {
                    rows.add(opened.tokenizer().encode(t, true));
                }
            }
        }
        SpecialTokens special = opened.tokenizer() != null ? opened.tokenizer().specialTokens()
                : SpecialTokensReader.read(opened.exported().folder());
        int longest = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        // The export carries the checkpoint's generation_config.json, so an export behaves as its checkpoint.
        GenerationSettings settings = GenerationSettings.resolve(req.options(),
                GenerationConfig.read(opened.exported().folder()), special, longest,
                opened.model().shape().sequenceLength());
        GenerationRequest.Builder b = GenerationRequest.builder(rows).settings(settings)
                .splitBatches(req.splitBatches()).topLogits(req.topLogits());
        // A shown chat prompt comes first in the output, so the text is not streamed ahead of it.
        boolean stream = listener != null && rows.size() == 1 && opened.tokenizer() != null && !req.showPrompt();
        if (stream) {
            b.listener(listener);
        }
        GenerationResult result = new Generator(opened.model(), opened.tokenizer()).generate(b.build())
                .withLoadMs(opened.loadMs());
        return new Generation(opened.backend().name(), result, stream, opened.compiled(), opened.exportMs(),
                chatPrompts, req.showPrompt(), settings);
    }

    private static List<String> renderChat(Request req, ModelOpener.Opened opened) {
        ChatTemplate template = ChatTemplate.find(opened.exported().folder()).orElseThrow(() -> new NeuronKernelException(
                req.model() + " has no chat template (chat_template in tokenizer_config.json, or chat_template.jinja); "
                        + "drop --chat and write the prompt yourself"));
        List<String> rendered = new ArrayList<>();
        for (String t : req.prompts()) {
            rendered.add(template.render(ChatMessages.parse(t), true));
        }
        return rendered;
    }
}
