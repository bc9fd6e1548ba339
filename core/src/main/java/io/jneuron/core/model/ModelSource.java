package io.jneuron.core.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a MODEL argument named, resolved once by {@link ModelResolver} for every verb (export, generate,
 * lookup, pipeline): the folder holding its files, the id its registry entries are filed under, the
 * revision, and its parsed {@code config.json}.
 *
 * @param model    the argument as typed, for messages
 * @param folder   a local folder, or a snapshot folder of the Hugging Face cache
 * @param modelId  the Hub id ({@code org/name}), or {@code local/<folder name>} for a plain folder: the alias
 *                 that export files entries under and that lookup of the same folder searches
 * @param revision the snapshot's commit; for a plain folder its content fingerprint
 *                 ({@link CheckpointFingerprint}), or null when only the config was asked for
 * @param config   {@code config.json} as parsed by {@code PyJson} (Python's key order and number types)
 * @param origin   where the files were found
 */
public record ModelSource(String model, Path folder, String modelId, String revision, Map<String, Object> config,
                          Origin origin) {
    /** Prefix of the id of a model that lives in a plain folder (no Hub id to file it under). */
    public static final String LOCAL_PREFIX = "local/";
    /** The file an exported folder carries (written by export, read by generate). */
    public static final String EXPORTED_MARKER = "neuron_config.json";
    /** The small files read beside the weights (config, tokenizer); an export copies them into its folder. */
    public static final List<String> SIDE_FILES = List.of("config.json", "generation_config.json", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja", "modules.json",
            "sentence_bert_config.json", "1_Pooling/config.json");

    public enum Origin {
        /** A folder the user named. */
        FOLDER,
        /** Already in the local Hugging Face cache; no request was made. */
        HUB_CACHE,
        /** Fetched from the Hub just now into the Hugging Face cache. */
        HUB_DOWNLOAD
    }

    public ModelSource {
        // Not Map.copyOf: config.json values may be null ("rope_scaling": null).
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    /** Whether the folder is an export (a compiled artifact and {@code neuron_config.json}), not a checkpoint. */
    public boolean exported() {
        return Files.isRegularFile(folder.resolve(EXPORTED_MARKER));
    }

    /** Whether the model comes from a plain folder rather than a Hub repo. */
    public boolean local() {
        return modelId.startsWith(LOCAL_PREFIX);
    }
}
