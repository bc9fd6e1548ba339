package io.jneuron.core.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A Hugging Face checkpoint folder: {@code config.json} plus {@code model.safetensors} or a sharded
 * {@code model.safetensors.index.json}. Opening reads only headers; tensor data is read on demand
 * through memory maps. Immutable and thread-safe.
 */
public final class Checkpoint {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String WEIGHTS_INDEX = "model.safetensors.index.json";

    private final Path directory;
    private final ModelConfig config;
    private final Map<String, TensorInfo> tensors;

    private Checkpoint(Path directory, ModelConfig config, Map<String, TensorInfo> tensors) {
        this.directory = directory;
        this.config = config;
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    public static Checkpoint open(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new ModelFormatException(directory + ": not a checkpoint folder (no such directory)");
        }
        ModelConfig config = ConfigReader.read(directory.resolve(CONFIG));
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Path single = directory.resolve(WEIGHTS);
        Path index = directory.resolve(WEIGHTS_INDEX);
        if (Files.isRegularFile(single)) {
            tensors.putAll(SafetensorsFile.open(single).tensors());
        } else if (Files.isRegularFile(index)) {
            readShards(directory, index, tensors);
        } else {
            throw new ModelFormatException(directory + ": no weights: expected " + WEIGHTS + " or " + WEIGHTS_INDEX
                    + " (PyTorch .bin checkpoints are not read; convert them to safetensors)");
        }
        return new Checkpoint(directory, config, tensors);
    }

    private static void readShards(Path directory, Path index, Map<String, TensorInfo> out) {
        JsonNode root = Json.readTree(index);
        JsonNode weightMap = root.path("weight_map");
        if (!weightMap.isObject() || weightMap.size() == 0) {
            throw new ModelFormatException(index + ": missing or empty \"weight_map\"");
        }
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        // Compared absolute: a relative "." has no parent, which made the check below throw an NPE.
        Path home = directory.toAbsolutePath().normalize();
        for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String shardName = e.getValue().asText("");
            Path resolved = home.resolve(shardName).normalize();
            if (shardName.isEmpty() || !home.equals(resolved.getParent())) {
                throw new ModelFormatException(index + ": tensor '" + e.getKey() + "' names shard '" + shardName
                        + "', which is not a file in " + directory);
            }
            Path shard = directory.resolve(resolved.getFileName());
            SafetensorsFile file = shards.computeIfAbsent(shardName, n -> SafetensorsFile.open(shard));
            TensorInfo t = file.tensors().get(e.getKey());
            if (t == null) {
                throw new ModelFormatException(index + ": tensor '" + e.getKey() + "' is mapped to " + shardName
                        + " but that shard does not contain it");
            }
            out.put(e.getKey(), t);
        }
    }

    public Path directory() {
        return directory;
    }

    public ModelConfig config() {
        return config;
    }

    public Set<String> tensorNames() {
        return tensors.keySet();
    }

    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    public TensorInfo tensor(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new ModelFormatException(directory + ": tensor '" + name + "' is missing from the checkpoint");
        }
        return t;
    }

    /** Reads a tensor as fp32 after checking its shape. */
    public float[] readFloats(String name, long... expectedShape) {
        TensorInfo t = tensor(name);
        if (!java.util.Arrays.equals(t.shape(), expectedShape)) {
            throw new ModelFormatException(t.file() + ": tensor '" + name + "' has shape " + t.shapeString()
                    + " but config.json implies " + java.util.Arrays.toString(expectedShape));
        }
        return SafetensorsFile.readFloats(t);
    }
}
