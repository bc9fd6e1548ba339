package io.jneuron.neuron.neff;

import io.jneuron.core.files.AtomicFiles;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.neuron.TensorInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The sidecar {@code <neff>.io.json} written at export: every input and output with its dtype name,
 * shape and byte size. The runtime's tensor info stays the authority; at load the two are compared
 * so a NEFF swapped under its manifest (or a wrong export) is caught before any execution.
 */
public record IoManifest(List<Tensor> tensors) {
    public static final String FORMAT = "jneuron-neff-io/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One tensor; {@code dtype} is the {@link io.jneuron.neuron.Dtype} name. */
    public record Tensor(String name, String usage, String dtype, List<Long> shape, long size) {
    }

    /** Thrown when a loaded model's tensor info disagrees with its manifest. */
    public static final class MismatchException extends NeuronKernelException {
        public MismatchException(String message) {
            super(message);
        }
    }

    public IoManifest {
        tensors = List.copyOf(tensors);
    }

    public static IoManifest of(List<TensorInfo> info) {
        return new IoManifest(info.stream().map(t -> new Tensor(t.name(), t.usage().name().toLowerCase(java.util.Locale.ROOT),
                t.dtype().name(), t.shape(), t.size())).toList());
    }

    public static Path sidecarOf(Path neff) {
        return neff.resolveSibling(neff.getFileName() + ".io.json");
    }

    /** Writes the sidecar beside {@code neff} (temp file, then move). */
    public void writeBeside(Path neff) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode arr = root.putArray("tensors");
        for (Tensor t : tensors) {
            ObjectNode n = arr.addObject();
            n.put("name", t.name()).put("usage", t.usage()).put("dtype", t.dtype()).put("size", t.size());
            ArrayNode shape = n.putArray("shape");
            t.shape().forEach(shape::add);
        }
        Path target = sidecarOf(neff);
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
            AtomicFiles.move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The sidecar beside {@code neff}, if there is one. */
    public static Optional<IoManifest> readBeside(Path neff) throws IOException {
        Path p = sidecarOf(neff);
        if (!Files.exists(p)) {
            return Optional.empty();
        }
        if (Files.size(p) > 4 << 20) {
            throw new NeuronKernelException(p + " is over 4 MiB; an I/O manifest is a few KiB, so it is not one");
        }
        return Optional.of(parse(Files.readString(p, StandardCharsets.UTF_8), p.toString()));
    }

    static IoManifest parse(String json, String source) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !FORMAT.equals(root.path("format").asText())) {
                throw new NeuronKernelException(source + " is not a jneuron I/O manifest (format is not " + FORMAT + ")");
            }
            List<Tensor> list = new ArrayList<>();
            for (JsonNode n : root.path("tensors")) {
                List<Long> shape = new ArrayList<>();
                n.path("shape").forEach(d -> shape.add(d.asLong()));
                list.add(new Tensor(n.path("name").asText(), n.path("usage").asText(), n.path("dtype").asText(), shape,
                        n.path("size").asLong()));
            }
            return new IoManifest(list);
        } catch (JsonProcessingException e) {
            throw new NeuronKernelException(source + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Compares with the runtime's tensor info: the same names, and for each its usage, size and
     * shape. Dtypes are compared only when both sides know them, since the runtime's dtype code is
     * the least reliable field.
     *
     * @throws MismatchException listing every difference
     */
    public void check(List<TensorInfo> runtime, String neff) {
        List<String> problems = new ArrayList<>();
        Map<String, TensorInfo> byName = runtime.stream().collect(Collectors.toMap(TensorInfo::name, Function.identity(),
                (a, b) -> a));
        for (Tensor t : tensors) {
            TensorInfo r = byName.remove(t.name());
            if (r == null) {
                problems.add("'" + t.name() + "' is in the manifest but not in the NEFF");
                continue;
            }
            String usage = r.usage().name().toLowerCase(java.util.Locale.ROOT);
            if (!usage.equals(t.usage())) {
                problems.add("'" + t.name() + "' is an " + usage + ", the manifest says " + t.usage());
            }
            if (r.size() != t.size() || !r.shape().equals(t.shape())) {
                problems.add("'" + t.name() + "' is " + r.shape() + " (" + r.size() + " bytes), the manifest says "
                        + t.shape() + " (" + t.size() + " bytes)");
            }
            if (!"UNKNOWN".equals(t.dtype()) && !"UNKNOWN".equals(r.dtype().name()) && !r.dtype().name().equals(t.dtype())) {
                problems.add("'" + t.name() + "' is " + r.dtype() + ", the manifest says " + t.dtype());
            }
        }
        byName.keySet().forEach(n -> problems.add("'" + n + "' is in the NEFF but not in the manifest"));
        if (!problems.isEmpty()) {
            throw new MismatchException(neff + " does not match its I/O manifest " + sidecarOf(Path.of(neff)).getFileName()
                    + ": " + String.join("; ", problems) + ". Re-export the model, or delete the manifest if the NEFF is right");
        }
    }
}
