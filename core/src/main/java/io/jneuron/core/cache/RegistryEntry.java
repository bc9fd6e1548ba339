package io.jneuron.core.cache;

import io.jneuron.core.cache.internal.ConfigDiff;
import io.jneuron.core.hub.internal.Hashing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One registry entry: a model's config diff plus its {@code neuron} section (spec §2.2), with the
 * serialisation, hash and architecture digest optimum-neuron computes for it. Immutable and thread-safe;
 * two entries are equal when their canonical JSON is.
 */
public final class RegistryEntry {
    private static final String NEURON = "neuron";
    private static final String ENTRY_CLASS = "_entry_class";
    private static final String MODEL_ID = "_model_id";
    private static final String TASK = "_task";

    /** The dict Python would hold (int {@code id2label} keys), frozen, in file or construction order. */
    private final Map<Object, Object> content;
    private final EntryRecipe recipe;
    private final String json;

    private RegistryEntry(Map<Object, Object> content, EntryRecipe recipe) {
        @SuppressWarnings("unchecked")
        Map<Object, Object> frozen = (Map<Object, Object>) ConfigDiff.freeze(content);
        this.content = frozen;
        this.recipe = recipe;
        this.json = PyJson.dumps(frozen, recipe.style());
    }

    /**
     * A current ({@link EntryRecipe#V0_2}) single-model entry, as optimum-neuron's
     * {@code SingleModelCacheEntry} builds it.
     *
     * @param modelConfig the model's {@code config.json} (for text-generation, its text config); whitelisted
     *     keys are dropped and {@code id2label} keys become ints, as transformers holds them
     * @param neuronConfig the {@code neuron} section, e.g. {@code NxDNeuronConfig.to_dict()}
     * @param modelId the Hub id the model was exported from
     * @param task e.g. {@code text-generation}
     * @throws CacheException when the config has no {@code model_type} or a value Python's json would refuse
     */
    public static RegistryEntry create(Map<String, ?> modelConfig, Map<String, ?> neuronConfig, String modelId,
            String task) {
        requireText(modelId, "model id");
        requireText(task, "task");
        Map<Object, Object> d = ConfigDiff.diff(modelConfig, OptimumCompat.WHITE_LIST);
        d.remove(NEURON);
        modelType(d, modelId);
        d.put(NEURON, ConfigDiff.transformersView(neuronConfig));
        d.put(ENTRY_CLASS, OptimumCompat.SINGLE_MODEL);
        d.put(MODEL_ID, modelId);
        d.put(TASK, task);
        return build(d, EntryRecipe.V0_2, modelId);
    }

    /** A legacy (v0.0.18-v0.1.x) entry: the config minus {@link OptimumCompat#LEGACY_WHITE_LIST}, plus {@code neuron}. */
    public static RegistryEntry legacy(Map<String, ?> modelConfig, Map<String, ?> neuronConfig, EntryRecipe recipe) {
        if (recipe.hasBookkeepingKeys()) {
            throw new IllegalArgumentException("legacy entries use V0_0_18 or V0_0_21, not " + recipe);
        }
        Map<Object, Object> d = ConfigDiff.diff(modelConfig, OptimumCompat.LEGACY_WHITE_LIST);
        d.remove(NEURON);
        d.put(NEURON, ConfigDiff.transformersView(neuronConfig));
        return build(d, recipe, String.valueOf(neuronConfig.get("checkpoint_id")));
    }

    /**
     * Reads a stored entry. {@code id2label} keys become ints, as they were in memory when Python wrote the
     * file; {@link Registry#verify} also tries the string-keyed reading.
     *
     * @throws CacheException for malformed JSON or a top level that is not an object, naming {@code source}
     */
    public static RegistryEntry parse(byte[] json, EntryRecipe recipe, String source) {
        return new RegistryEntry(ConfigDiff.transformersView(new LinkedHashMap<>(PyJson.parseObject(json, source))),
                recipe);
    }

    /** Reads a stored entry verbatim, every key a string (for writers that never held int keys). */
    public static RegistryEntry parseVerbatim(byte[] json, EntryRecipe recipe, String source) {
        return new RegistryEntry(new LinkedHashMap<>(PyJson.parseObject(json, source)), recipe);
    }

    private static RegistryEntry build(Map<Object, Object> d, EntryRecipe recipe, String modelId) {
        try {
            return new RegistryEntry(d, recipe);
        } catch (IllegalArgumentException e) {
            throw new CacheException("cannot serialise the registry entry for " + modelId + ": " + e.getMessage()
                    + "; pass only JSON values (maps, lists, strings, numbers, booleans, null)", e);
        }
    }

    /** The exact file content: the recipe's Python serialisation, without a trailing newline. */
    public String toJson() {
        return json;
    }

    /** The 20-hex entry hash: {@code sha512(toJson())[:20]}, also the file name and the traced MODULE name. */
    public String hash() {
        return Hashing.hex("SHA-512", json).substring(0, 20);
    }

    /**
     * The 64-hex architecture digest (spec §2.4): SHA-256 of {@code json.dumps({"model_type", "task", "config"},
     * sort_keys=True)} over the config without {@code neuron} and the {@code _} keys.
     *
     * @throws CacheException for multi-model entries (their digest needs the raw component configs) and entries
     *     without {@code model_type} or task
     */
    public String archDigest() {
        if (isMultiModel()) {
            throw new CacheException("the arch digest of a " + OptimumCompat.MULTI_MODEL + " (" + modelId().orElse("?")
                    + ") needs the raw component config.json files, which the entry does not keep");
        }
        String task = task().orElseThrow(() -> new CacheException("entry " + hash() + " has no task; "
                + "its arch digest is undefined"));
        return archDigestFor(config(), task, modelId().orElse(hash()));
    }

    /** {@link #archDigest()} for a model that has no entry yet, e.g. the target of a lookup. */
    public static String archDigestFor(Map<?, ?> modelConfig, String task) {
        Map<Object, Object> cfg = ConfigDiff.diff(modelConfig, OptimumCompat.WHITE_LIST);
        cfg.remove(NEURON);
        return archDigestFor(cfg, task, "the model");
    }

    private static String archDigestFor(Map<?, ?> cfg, String task, String what) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("model_type", modelType(cfg, what));
        d.put("task", task);
        d.put("config", cfg);
        return Hashing.hex("SHA-256", PyJson.dumps(d, PyJson.Style.COMPACT_SORTED));
    }

    /** The config part: everything but {@code neuron} and the {@code _} bookkeeping keys. */
    public Map<Object, Object> config() {
        Map<Object, Object> cfg = new LinkedHashMap<>(content);
        cfg.keySet().removeAll(recipe.hasBookkeepingKeys() ? List.of(NEURON, ENTRY_CLASS, MODEL_ID, TASK) : List.of(NEURON));
        return cfg;
    }

    /** The {@code neuron} section, empty for multi-model entries (theirs are per component). */
    @SuppressWarnings("unchecked")
    public Map<Object, Object> neuron() {
        Object n = content.get(NEURON);
        return n instanceof Map ? (Map<Object, Object>) n : Map.of();
    }

    /** {@code _model_id}, or the legacy {@code neuron.checkpoint_id}. */
    public Optional<String> modelId() {
        return text(content.get(MODEL_ID)).or(() -> text(neuron().get("checkpoint_id")));
    }

    /** {@code _task}, or the legacy/traced {@code neuron.task}. */
    public Optional<String> task() {
        return text(content.get(TASK)).or(() -> text(neuron().get("task")));
    }

    public Optional<String> modelType() {
        return text(content.get("model_type"));
    }

    public boolean isMultiModel() {
        return OptimumCompat.MULTI_MODEL.equals(content.get(ENTRY_CLASS));
    }

    public EntryRecipe recipe() {
        return recipe;
    }

    /** The whole dict, unmodifiable. */
    public Map<Object, Object> asMap() {
        return content;
    }

    private static Optional<String> text(Object v) {
        return v instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty();
    }

    private static String modelType(Map<?, ?> cfg, String what) {
        if (cfg.get("model_type") instanceof String s && !s.isEmpty()) {
            return s;
        }
        throw new CacheException("config of " + what + " has no \"model_type\"; registry entries are keyed by it, "
                + "so only transformers models (config.json with model_type) can be registered");
    }

    private static void requireText(String v, String what) {
        if (v == null || v.isBlank()) {
            throw new CacheException("a registry entry needs a " + what + ", got " + (v == null ? "null" : "'" + v + "'"));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegistryEntry e && e.recipe == recipe && e.json.equals(json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return "RegistryEntry[" + hash() + " " + modelId().orElse("?") + " " + task().orElse("?") + "]";
    }
}
