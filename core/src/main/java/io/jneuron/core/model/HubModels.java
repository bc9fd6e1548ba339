package io.jneuron.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.TreeEntry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Downloads what jneuron needs of a Hub model repo into the standard Hugging Face cache and returns its
 * snapshot folder, pinned to the commit the Hub resolved. A repo holding an exported folder
 * ({@code neuron_config.json} at its root) is fetched whole, so it runs without re-exporting; a checkpoint
 * repo gives only its config, tokenizer files and safetensors weights (shards named by the index).
 */
final class HubModels {
    /** An exported repo is a handful of files; more is not an export of ours. */
    private static final int MAX_EXPORTED_FILES = 64;

    private HubModels() {
    }

    static Path download(HubClient hub, String repo, String endpoint) {
        Set<String> present = hub.listTree(repo, "", false).stream().filter(e -> !e.directory()).map(TreeEntry::path)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (!present.contains(Checkpoint.CONFIG)) {
            throw new NeuronKernelException(repo + " has no config.json on " + endpoint
                    + "; is it a transformers model repo or an exported jneuron model?");
        }
        Path config = hub.download(repo, Checkpoint.CONFIG);
        if (present.contains(ModelSource.EXPORTED_MARKER)) {
            if (present.size() > MAX_EXPORTED_FILES) {
                throw new NeuronKernelException(repo + " has neuron_config.json but " + present.size() + " files; an "
                        + "exported folder has a few, so it was not downloaded");
            }
            present.forEach(f -> hub.download(repo, f));
            return config.getParent();
        }
        List<String> wanted = new ArrayList<>(ModelSource.SIDE_FILES.stream().filter(present::contains).toList());
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
        return config.getParent();
    }

    /** The weight files a snapshot needs beyond config.json, or the missing index itself. */
    static List<String> missingWeights(Path folder) {
        if (Files.isRegularFile(folder.resolve(Checkpoint.WEIGHTS))) {
            return List.of();
        }
        Path index = folder.resolve(Checkpoint.WEIGHTS_INDEX);
        if (!Files.isRegularFile(index)) {
            return List.of(Checkpoint.WEIGHTS + " or " + Checkpoint.WEIGHTS_INDEX);
        }
        return shards(index).stream().filter(s -> !Files.isRegularFile(folder.resolve(s))).toList();
    }

    /** Shard file names from an index, each a plain file name (the index is remote input). */
    static Set<String> shards(Path index) {
        try {
            JsonNode map = Json.MAPPER.readTree(Files.readAllBytes(index)).path("weight_map");
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
