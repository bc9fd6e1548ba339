package io.jneuron.core.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.model.ModelFormatException;
import io.jneuron.core.shape.BucketPlan;
import io.jneuron.core.shape.DType;
import io.jneuron.core.shape.ShapeSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An exported model folder: the checkpoint's {@code config.json} and tokenizer files, the compiled
 * artifact, and {@code neuron_config.json} saying which backend compiled it, for which static
 * shapes, and where the artifact is. {@code generate} loads such a folder on its own.
 *
 * @param artifact file name of the artifact inside {@code folder}; for a checkpoint compiled on the fly
 *                 ({@link #compiledInCache}), the absolute path of the artifact in its compile cache module
 * @param entry    the registry entry hash this export corresponds to, or null (an export by an external tool)
 */
public record ExportedModel(Path folder, String backend, String compilerVersion, ShapeSpec shape, String artifact,
                            String checkpointId, String checkpointRevision, String task, String entry) {
    public static final String NEURON_CONFIG = "neuron_config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static boolean isExported(Path folder) {
        return Files.isRegularFile(folder.resolve(NEURON_CONFIG));
    }

    public Path artifactPath() {
        return folder.resolve(artifact);
    }

    /**
     * A checkpoint compiled on the fly, loaded where the compile cache keeps it: side files (tokenizer, special
     * tokens) come from the checkpoint folder, the artifact from the module. Never written to disk.
     */
    public static ExportedModel compiledInCache(Path checkpoint, CompiledModule m) {
        return new ExportedModel(checkpoint, m.backend(), m.compilerVersion(), m.shape(),
                m.artifactPath().toAbsolutePath().toString(), m.modelId(), m.revision(), m.task(), m.entry());
    }

    public static ExportedModel read(Path folder) {
        Path file = folder.resolve(NEURON_CONFIG);
        JsonNode n;
        try {
            n = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new ModelFormatException(file + ": expected a JSON object");
        }
        for (String key : new String[] {"backend", "batch_size", "sequence_length", "auto_cast_type", "artifact"}) {
            if (!n.hasNonNull(key)) {
                throw new ModelFormatException(file + ": missing \"" + key + "\"; re-export the model");
            }
        }
        int seq = n.get("sequence_length").asInt();
        BucketPlan buckets = n.hasNonNull("buckets") ? BucketPlan.parse(n.get("buckets").asText())
                : BucketPlan.defaults(seq);
        String artifact = n.get("artifact").asText();
        Path resolved = folder.resolve(artifact).normalize();
        if (!resolved.getParent().equals(folder.normalize())) {
            throw new ModelFormatException(file + ": artifact '" + artifact + "' is not a file inside " + folder);
        }
        ShapeSpec shape = new ShapeSpec(n.get("batch_size").asInt(), seq, buckets,
                DType.parse(n.get("auto_cast_type").asText()));
        return new ExportedModel(folder, n.get("backend").asText(), n.path("compiler_version").asText(""), shape,
                artifact, text(n, "checkpoint_id"), text(n, "checkpoint_revision"), text(n, "task"), text(n, "entry"));
    }

    private static String text(JsonNode n, String key) {
        return n.hasNonNull(key) ? n.get(key).asText() : null;
    }

    /** The same export moved to {@code other} (the files are moved by the caller). */
    public ExportedModel at(Path other) {
        return new ExportedModel(other, backend, compilerVersion, shape, artifact, checkpointId, checkpointRevision,
                task, entry);
    }

    /** Writes {@code neuron_config.json} through a temp file and an atomic move. */
    public void write() {
        ObjectNode n = JSON.createObjectNode().put("backend", backend).put("compiler_version", compilerVersion)
                .put("batch_size", shape.batchSize()).put("sequence_length", shape.sequenceLength())
                .put("buckets", shape.buckets().toString()).put("auto_cast_type", shape.dtype().cliName())
                .put("artifact", artifact).put("checkpoint_id", checkpointId).put("checkpoint_revision", checkpointRevision)
                .put("task", task).put("entry", entry);
        Path target = folder.resolve(NEURON_CONFIG);
        try {
            Path tmp = AtomicFiles.tempBeside(target);
            try {
                Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
                AtomicFiles.move(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new NeuronKernelException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
