package io.jneuron.core.generate;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.model.GenerationConfig;
import io.jneuron.core.model.SpecialTokens;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decoding settings a generation used and where each came from: the user ({@link GenerationOptions}), the model's
 * {@code generation_config.json} ({@link GenerationConfig}), its tokenizer files (eos and pad ids) or the default,
 * in that order, as transformers' {@code generate()} merges its keyword arguments over the model's generation config.
 * Sampling settings are resolved only when sampling is on (transformers ignores them for greedy decoding); top-k
 * defaults to off here, not to transformers' 50. A max_new_tokens or max_length from the file (a default, not a
 * request) is capped at what the compiled sequence_length leaves after the longest prompt, and the source says so.
 *
 * @param settings name -> value and source, in a fixed order, for the JSON "generation" object and the table
 */
public record GenerationSettings(SamplingParams sampling, int maxNewTokens, int minNewTokens,
                                 double repetitionPenalty, List<Integer> eosIds, Integer padId,
                                 Map<String, Setting> settings) {
    public static final String USER = "user";
    public static final String FILE = "generation_config.json";
    public static final String DEFAULT = "default";
    public static final String TOKENIZER = "tokenizer files";

    /** One resolved value (null when unset) and where it came from. */
    public record Setting(Object value, String source) {
    }

    public GenerationSettings {
        eosIds = List.copyOf(eosIds);
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /**
     * Merges the user's options over the file's defaults.
     *
     * @param longestPrompt  tokens in the longest prompt row (for max_length and the cap)
     * @param sequenceLength the compiled sequence_length
     * @throws NeuronKernelException for values no generation can use, naming the option or file that set them
     */
    public static GenerationSettings resolve(GenerationOptions user, GenerationConfig file, SpecialTokens special,
                                             int longestPrompt, int sequenceLength) {
        Map<String, Setting> s = new LinkedHashMap<>();
        boolean sample = pick(s, "do_sample", user.doSample(), file.doSample(), false);
        SamplingParams sampling = SamplingParams.GREEDY;
        if (sample) {
            double t = pick(s, "temperature", user.temperature(), file.temperature(), 1.0);
            int k = pick(s, "top_k", user.topK(), file.topK(), 0);
            double p = pick(s, "top_p", user.topP(), file.topP(), 1.0);
            if (!(t > 0 && t < Double.POSITIVE_INFINITY) || k < 0 || !(p > 0 && p <= 1)) {
                throw new NeuronKernelException(file.file() + " sets temperature " + t + ", top_k " + k + ", top_p " + p
                        + " for sampling; temperature must be > 0, top_k >= 0, top_p in (0, 1]: override them with "
                        + "--temperature, --top_k, --top_p, or use --greedy");
            }
            long seed = pick(s, "seed", user.seed(), null, 0L);
            sampling = SamplingParams.sample(t, k, p, seed);
        } else if (user.temperature() != null || user.topK() != null || user.topP() != null) {
            throw new NeuronKernelException("--top_k and --top_p need sampling: add --temperature ("
                    + (file.doSample() == null ? "the model's generation_config.json does not sample"
                    : FILE + " sets do_sample false") + "), or drop them");
        }
        double penalty = pick(s, "repetition_penalty", user.repetitionPenalty(), file.repetitionPenalty(), 1.0);
        if (!(penalty > 0 && penalty < Double.POSITIVE_INFINITY)) {
            throw new NeuronKernelException(file.file() + " sets repetition_penalty " + penalty + "; it must be > 0: "
                    + "override it with --repetition_penalty");
        }
        int maxNew = maxNewTokens(s, user, file, longestPrompt, sequenceLength);
        int minNew = pick(s, "min_new_tokens", user.minNewTokens(), file.minNewTokens(), 0);
        if (minNew < 0 || minNew > maxNew) {
            throw new NeuronKernelException("min_new_tokens " + minNew + " (" + s.get("min_new_tokens").source()
                    + ") must be between 0 and max_new_tokens " + maxNew + " (" + s.get("max_new_tokens").source()
                    + "); set --min_new_tokens or --max_new_tokens");
        }
        s.put("eos_token_id", new Setting(new ArrayList<Object>(special.eosIds()), file.eosSet() ? FILE
                : special.eosIds().isEmpty() ? DEFAULT : TOKENIZER));
        s.put("pad_token_id", new Setting(special.padId(), file.padSet() ? FILE
                : special.padId() == null ? DEFAULT : TOKENIZER));
        return new GenerationSettings(sampling, maxNew, minNew, penalty, special.eosIds(), special.padId(), s);
    }

    private static int maxNewTokens(Map<String, Setting> s, GenerationOptions user, GenerationConfig file,
                                    int longestPrompt, int sequenceLength) {
        if (user.maxNewTokens() != null) {
            s.put("max_new_tokens", new Setting(user.maxNewTokens(), USER));
            return user.maxNewTokens();
        }
        int n;
        String source;
        if (file.maxNewTokens() != null) {
            n = file.maxNewTokens();
            source = FILE;
        } else if (file.maxLength() != null) {
            n = Math.max(0, file.maxLength() - longestPrompt); // max_length counts the prompt too
            source = FILE + " max_length " + file.maxLength();
        } else {
            s.put("max_new_tokens", new Setting(GenerationRequest.DEFAULT_MAX_NEW_TOKENS, DEFAULT));
            return GenerationRequest.DEFAULT_MAX_NEW_TOKENS;
        }
        if (n < 0) {
            throw new NeuronKernelException(file.file() + " sets max_new_tokens " + n + "; override it with --max_new_tokens");
        }
        int room = Math.max(0, sequenceLength - longestPrompt);
        if (n > room) {
            n = room;
            source += ", capped at sequence_length " + sequenceLength;
        }
        s.put("max_new_tokens", new Setting(n, source));
        return n;
    }

    private static <T> T pick(Map<String, Setting> s, String name, T user, T file, T fallback) {
        T v = user != null ? user : file != null ? file : fallback;
        s.put(name, new Setting(v, user != null ? USER : file != null ? FILE : DEFAULT));
        return v;
    }

    /** The JSON "generation" object: {name: {"value", "source"}}. */
    public Map<String, Object> json() {
        Map<String, Object> o = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("value", v.value());
            e.put("source", v.source());
            o.put(k, e);
        });
        return o;
    }

    /** "value (source)" per setting. */
    public Map<String, String> cells() {
        Map<String, String> o = new LinkedHashMap<>();
        settings.forEach((k, v) -> o.put(k, show(v.value()) + " (" + v.source() + ")"));
        return o;
    }

    /** A setting's value as a table shows it: lists without spaces, "-" for none. */
    public static String show(Object value) {
        return value == null ? "-" : String.valueOf(value).replace(" ", "");
    }
}
