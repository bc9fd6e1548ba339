package io.jneuron.core.testing;

import io.jneuron.core.files.AtomicFiles;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.model.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.Map;
import java.util.TreeMap;

/**
 * Generates random-weight checkpoints in real Hugging Face format, for tests, benchmarks and tutorials:
 * config.json, generation_config.json, tokenizer.json (a trained byte-level BPE), tokenizer_config.json
 * and model.safetensors (or shards plus model.safetensors.index.json). Output is a pure function of the
 * {@link TinyModelSpec}: the same spec gives byte-identical files.
 *
 * <p>The folder appears whole or not at all: everything is written into a temporary sibling folder that
 * is then renamed. Weights are streamed to disk, so even the 110m preset needs only a few MB of heap.
 */
public final class TinyModels {
    private TinyModels() {
    }

    /** Writes {@code spec} into {@code dir}, which must not exist or be empty. */
    public static TinyModel generate(TinyModelSpec spec, Path dir) {
        return generate(spec, dir, false);
    }

    /**
     * Writes {@code spec} into {@code dir}.
     *
     * @param replace also replace a folder that already holds a checkpoint (a config.json); other non-empty
     *                folders are never touched
     * @throws NeuronKernelException for an invalid spec, an occupied folder or a write failure
     */
    public static TinyModel generate(TinyModelSpec spec, Path dir, boolean replace) {
        spec.validate();
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null) {
            throw new NeuronKernelException(dir + ": cannot write a checkpoint at the file system root");
        }
        boolean occupied = checkTarget(dir, target, replace);
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
            JsonFiles.shareable(tmp, true);
            ConfigFiles.write(spec, tmp);
            TokenizerFiles.write(spec, tmp);
            writeWeights(spec, tmp);
            List<String> files;
            long bytes = 0;
            try (Stream<Path> s = Files.list(tmp)) {
                files = s.map(p -> p.getFileName().toString()).sorted().toList();
            }
            for (String f : files) {
                bytes += Files.size(tmp.resolve(f));
            }
            moveIntoPlace(tmp, target, occupied);
            tmp = null;
            return new TinyModel(target, spec, spec.parameterCount(), bytes, files);
        } catch (IOException e) {
            throw new NeuronKernelException(dir + ": cannot write the checkpoint: " + e, e);
        } finally {
            if (tmp != null) {
                AtomicFiles.deleteTreeQuietly(tmp);
            }
        }
    }

    /** True when {@code target} holds a checkpoint that may be replaced; throws when it must not be touched. */
    private static boolean checkTarget(Path dir, Path target, boolean replace) {
        if (!Files.exists(target)) {
            return false;
        }
        if (!Files.isDirectory(target)) {
            throw new NeuronKernelException(dir + " exists and is not a folder; choose another output folder");
        }
        try (Stream<Path> s = Files.list(target)) {
            if (s.findAny().isEmpty()) {
                return false;
            }
        } catch (IOException e) {
            throw new NeuronKernelException(dir + ": cannot list: " + e, e);
        }
        if (!replace) {
            throw new NeuronKernelException(dir + " is not empty; choose a new folder, or use --force to replace"
                    + " the checkpoint in it");
        }
        if (!Files.isRegularFile(target.resolve(Checkpoint.CONFIG))) {
            throw new NeuronKernelException(dir + " is not empty and holds no config.json, so it is not a"
                    + " checkpoint; refusing to replace it");
        }
        return true;
    }

    /** Renames {@code tmp} to {@code target}; an old checkpoint is first renamed aside, then deleted. */
    private static void moveIntoPlace(Path tmp, Path target, boolean occupied) throws IOException {
        Path old = null;
        if (occupied) {
            old = target.resolveSibling("." + target.getFileName() + ".old-" + Long.toHexString(System.nanoTime()));
            AtomicFiles.move(target, old);
        } else {
            Files.deleteIfExists(target); // an empty folder
        }
        AtomicFiles.move(tmp, target);
        if (old != null) {
            AtomicFiles.deleteTreeQuietly(old);
        }
    }

    private static void writeWeights(TinyModelSpec spec, Path dir) {
        List<TinyWeights.Plan> plans = TinyWeights.layout(spec);
        int n = spec.shards();
        if (n == 1) {
            shardWriter(spec, plans).write(dir.resolve(Checkpoint.WEIGHTS));
            return;
        }
        List<List<TinyWeights.Plan>> shards = split(plans, n, spec.dtype().equals("F32") ? 4 : 2);
        Map<String, String> weightMap = new TreeMap<>();
        long total = 0;
        for (int k = 0; k < n; k++) {
            String name = String.format("model-%05d-of-%05d.safetensors", k + 1, n);
            SafetensorsWriter w = shardWriter(spec, shards.get(k));
            w.write(dir.resolve(name));
            total += w.dataBytes();
            w.tensorNames().forEach(t -> weightMap.put(t, name));
        }
        ObjectNode index = JsonFiles.object();
        index.putObject("metadata").put("total_size", total);
        ObjectNode map = index.putObject("weight_map");
        weightMap.forEach(map::put);
        JsonFiles.write(dir.resolve(Checkpoint.WEIGHTS_INDEX), index);
    }

    /** One file's writer; tensors sorted by name, as safetensors' save_file orders them. */
    private static SafetensorsWriter shardWriter(TinyModelSpec spec, List<TinyWeights.Plan> plans) {
        SafetensorsWriter w = SafetensorsWriter.create().metadata("format", "pt");
        plans.stream().sorted(Comparator.comparing(TinyWeights.Plan::name))
                .forEach(p -> TinyWeights.add(w, p, spec.dtype(), spec.seed()));
        return w;
    }

    /**
     * Splits tensors, in state_dict order as transformers does, into {@code n} non-empty runs of roughly
     * equal bytes: a new shard starts once the bytes so far pass its share, or when each remaining
     * shard needs one of the remaining tensors.
     */
    static List<List<TinyWeights.Plan>> split(List<TinyWeights.Plan> plans, int n, int elementBytes) {
        long total = 0;
        for (TinyWeights.Plan p : plans) {
            total += p.count() * elementBytes;
        }
        List<List<TinyWeights.Plan>> out = new ArrayList<>();
        out.add(new ArrayList<>());
        long before = 0;
        for (int i = 0; i < plans.size(); i++) {
            int shard = out.size() - 1;
            boolean passedShare = before >= total * (shard + 1) / n;
            boolean mustAdvance = plans.size() - i == n - 1 - shard;
            if (!out.get(shard).isEmpty() && shard < n - 1 && (passedShare || mustAdvance)) {
                out.add(new ArrayList<>());
            }
            out.get(out.size() - 1).add(plans.get(i));
            before += plans.get(i).count() * elementBytes;
        }
        return out;
    }

}
