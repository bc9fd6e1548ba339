package io.jneuron.core.cache;

import java.time.Duration;
import java.util.List;

/**
 * Every fact about optimum-neuron and libneuronxla that this package relies on, and every choice made
 * where specs/optimum-neuron-cache.md marks a fact as unverified ([UNV]/[INF]) or recommends a
 * deviation (§7). Change a choice here, nowhere else; each constant says which kind it is.
 */
public final class OptimumCompat {
    private OptimumCompat() {
    }

    // ---- versions (spec §7.1: configuration, not facts)

    /** CHOICE: the optimum-neuron {@code __version__} whose registry folder we write; the newest release (§7.1). */
    public static final String REGISTRY_VERSION = "0.4.5";

    /** CHOICE: the neuronx-cc version optimum-neuron 0.4.5 pins; a {@code neuronxcc-} folder starting with it is "current". */
    public static final String NEURONXCC_VERSION = "2.21.33363.0";

    /** FACT [AWS]: libneuronxla's default local cache root. */
    public static final String DEFAULT_CACHE_ROOT = "/var/tmp/neuron-compile-cache";

    /**
     * CHOICE: top folders that are compile caches. {@code neuronxcc-<v>} is libneuronxla's [HUB]; ours are
     * {@code jneuron-<backend>-<v>}. Anything else under the root is left alone, even by --wipe.
     */
    public static final List<String> COMPILER_FOLDER_PREFIXES = List.of("neuronxcc-", "jneuron-");

    // ---- registry entries (spec §2)

    /** FACT [SRC]: CACHE_WHITE_LIST, keys dropped from the config before hashing (v0.2.0 and later). */
    public static final List<String> WHITE_LIST = List.of("_name_or_path", "transformers_version",
            "_diffusers_version", "eos_token_id", "bos_token_id", "pad_token_id", "torchscript", "torch_dtype",
            "_commit_hash", "sample_size", "projection_dim", "_use_default_values", "_attn_implementation_autoset",
            "return_dict");

    /** FACT [SRC]: the only keys legacy (v0.0.18-v0.1.x) entries drop. */
    public static final List<String> LEGACY_WHITE_LIST = List.of("_name_or_path", "transformers_version");

    /**
     * CHOICE [UNV §2.2]: transformers >= 4.56 writes {@code dtype}, which is not whitelisted; like optimum we keep
     * it in the entry and the arch digest, but lookup's config comparison ignores it (see {@link #CONFIG_COMPARE_IGNORED}).
     */
    public static final List<String> CONFIG_COMPARE_IGNORED = List.of("dtype", "torch_dtype");

    /**
     * CHOICE [INF §2.5]: the config we hash is {@code config.json} minus the whitelist. save_pretrained writes
     * {@code to_diff_dict()}, so for a config saved by the same transformers version this equals optimum's diff.
     * transformers turns {@code id2label} keys into ints on load; we do the same for every map under a key of
     * this name whose keys are all decimal integers, at any depth.
     */
    public static final String INT_KEYED_MAP = "id2label";

    /** FACT [SRC]: entry classes, the {@code _entry_class} value. */
    public static final String SINGLE_MODEL = "SingleModelCacheEntry";
    public static final String MULTI_MODEL = "MultiModelCacheEntry";

    /** CHOICE: registry JSON larger than this is refused (ImageNet-21k id2label is under 1 MiB). */
    public static final long MAX_ENTRY_BYTES = 16L << 20;

    /**
     * CHOICE: the alias is a relative symlink (spec §7.4 allows relative or absolute) so a cache folder can be moved
     * or mounted elsewhere; a plain copy where symlinks are not supported. Unlike optimum (which links only when the
     * alias folder is new, §2.1 quirk) every entry gets its alias.
     */
    public static final boolean RELATIVE_ALIAS = true;

    // ---- lookup (spec §3.2, §7.2, §7.5)

    /**
     * CHOICE (deviation, §7.5): optimum compares {@code target} un-normalised, so {@code inf2}/{@code trn1n} never
     * match the {@code trn1} that NxD stores. We normalise both sides with this table.
     */
    public static String normaliseTarget(String instanceType) {
        return instanceType == null ? null : switch (instanceType) {
            case "inf2", "trn1n" -> "trn1";
            default -> instanceType;
        };
    }

    /**
     * CHOICE [UNV §3.2 step 1]: optimum infers the task from Hub metadata; without --task we infer it from the
     * config's first architecture suffix. Returns null when it cannot tell.
     */
    public static String inferTask(String architecture) {
        if (architecture == null) {
            return null;
        }
        if (architecture.endsWith("ForCausalLM") || architecture.endsWith("LMHeadModel")) {
            return "text-generation";
        }
        if (architecture.endsWith("ForSequenceClassification")) {
            return "text-classification";
        }
        if (architecture.endsWith("ForTokenClassification")) {
            return "token-classification";
        }
        if (architecture.endsWith("ForQuestionAnswering")) {
            return "question-answering";
        }
        if (architecture.endsWith("ForMaskedLM")) {
            return "fill-mask";
        }
        return architecture.endsWith("Model") ? "feature-extraction" : null;
    }

    /** CHOICE [INF]: for text-generation, {@code get_text_config()} is approximated by the {@code text_config} sub-map. */
    public static final String TEXT_CONFIG_KEY = "text_config";

    // ---- local compile cache (spec §4)

    /** FACT [HUB]: the lock file name libneuronxla leaves in a MODULE folder; CHOICE: we lock with the same name. */
    public static final String LOCK_FILE = "model.hlo_module.pb.lock";

    /**
     * CHOICE [UNV §8: libneuronxla's lock protocol is unknown]: a lock is a file created exclusively
     * ({@code O_EXCL}) holding a JSON owner record (pid, host, process start). It is stale when its host is this
     * host and the pid is gone or now belongs to a process started at another time.
     */
    public static final String LOCK_OWNER = "jneuron";

    /** CHOICE: an empty or half-written lock younger than this is a compile that is just starting. */
    public static final Duration LOCK_GRACE = Duration.ofSeconds(30);

    /** CHOICE: a lock from another host (pid not checkable) counts as stale after this long. */
    public static final Duration FOREIGN_HOST_LOCK_MAX_AGE = Duration.ofHours(24);

    /**
     * FACT [SRC main cleanup.py]: a lock without a jneuron owner record is libneuronxla's; optimum treats it as stale
     * when no process whose command line contains this is running (its {@code pgrep neuronx-cc} test).
     */
    public static final String NEURON_COMPILER_PROCESS = "neuronx-cc";

    /** CHOICE: our temp files older than this outside a locked module belong to a killed writer; cleanup removes them. */
    public static final Duration STALE_TEMP_AGE = Duration.ofHours(1);

    /**
     * CHOICE: a compiler folder is current when its version starts with the version given for its name, else (for
     * {@code neuronxcc}) with {@link #NEURONXCC_VERSION}, else when it is the newest folder of its name.
     */
    public static final String CURRENT_RULE = "prefix of the given or pinned version, else newest";

    /** CHOICE: how long {@link CompileCache#compileOnce} waits for another process's compile by default. */
    public static final Duration DEFAULT_WAIT = Duration.ofHours(2);

    /**
     * CHOICE (deviation from AWS "Ctrl-C is recorded as failed"): an interrupted compile leaves the module empty,
     * not failed, so the next attempt recompiles instead of refusing.
     */
    public static final boolean INTERRUPT_POISONS = false;

    /** CHOICE [UNV §1.2]: the file whose presence plus {@code model.done} means success in a {@code neuronxcc-} folder. */
    public static final String NEFF = "model.neff";

    // ---- registry history (spec §2.1, §2.3 [SRC]); versions as parsed by EntryRecipe.forVersion

    /** FACT [SRC]: v0.0.19-v0.1.x put entries under these mode folders. */
    public static final List<String> LEGACY_MODE_FOLDERS = List.of("inference", "training");
}
