package io.jneuron.core.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubConfig;
import io.jneuron.core.hub.TreeEntry;
import io.jneuron.core.model.Checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Downloads what jneuron needs of a Hub model (config, tokenizer files, safetensors weights, shards
 * named by the index) into the standard Hugging Face cache and returns its snapshot folder, pinned
 * to the commit the Hub resolved. Nothing else of the repo is fetched.
 */
public final class HubModels {
    static final List<String> SMALL_FILES = List.of("config.json", "generation_config.json", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json");

    private HubModels() {
    }

    public static Path download(String repo, HubConfig config) {
        try (HubClient hub = HubClient.create(config)) {
            Set<String> present = new LinkedHashSet<>();
            for (TreeEntry e : hub.listTree(repo, "", false)) {
                if (!e.directory()) {
                    present.add(e.path());
                }
            }
            if (!present.contains(Checkpoint.CONFIG)) {
                throw new NeuronKernelException(repo + " has no config.json on " + config.endpoint()
                        + "; is it a transformers model repo?");
            }
            List<String> wanted = new ArrayList<>();
            for (String f : SMALL_FILES) {
                if (present.contains(f)) {
                    wanted.add(f);
                }
            }
            Path config0 = hub.download(repo, Checkpoint.CONFIG);
            if (present.contains(Checkpoint.WEIGHTS)) {
                wanted.add(Checkpoint.WEIGHTS);
            } else if (present.contains(Checkpoint.WEIGHTS_INDEX)) {
                wanted.add(Checkpoint.WEIGHTS_INDEX);
                wanted.addAll(shards(hub.download(repo, Checkpoint.WEIGHTS_INDEX)));
            } else {
                throw new NeuronKernelException(repo + " has no model.safetensors or model.safetensors.index.json; "
                        + "jneuron reads safetensors weights only");
            }
            for (String f : wanted) {
                hub.download(repo, f);
            }
            return config0.getParent();
        }
    }

    /** Shard file names from an index, each a plain file name (the index is remote input). */
    private static Set<String> shards(Path index) {
        try {
            JsonNode map = new ObjectMapper().readTree(Files.readAllBytes(index)).path("weight_map");
            Set<String> out = new LinkedHashSet<>();
            for (Iterator<JsonNode> it = map.elements(); it.hasNext(); ) {
                String name = it.next().asText("");
                if (!name.matches("[\\w.\\-]+\\.safetensors")) {
                    throw new NeuronKernelException(index + ": shard name '" + name + "' is not a plain safetensors file name");
                }
                out.add(name);
            }
            return out;
        } catch (IOException e) {
            throw new NeuronKernelException(index + ": cannot read the weight index: " + e.getMessage(), e);
        }
    }
}
