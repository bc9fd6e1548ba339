package io.jneuron.core.cache.internal;

import io.jneuron.core.cache.LookupMatch;
import io.jneuron.core.cache.LookupQuery;
import io.jneuron.core.cache.LookupStrategy;
import io.jneuron.core.cache.OptimumCompat;
import io.jneuron.core.cache.RegistryEntry;
import io.jneuron.core.cache.RegistryLayout;
import io.jneuron.core.cache.RegistryProblem;
import io.jneuron.core.cache.StoredEntry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * optimum-neuron's lookup over any registry source (spec §3.2, §7.2): the arch-digest folder first, then
 * the model's alias folders, then a config comparison over its model type; the first strategy that finds
 * any entry wins, and optimum's equality filters then pick the rows.
 */
public final class RegistryLookup {
    private final RegistryScanner scanner;
    private final Set<LookupStrategy> strategies;

    /** A lookup that tries only {@code strategies}, in their usual order. */
    public RegistryLookup(RegistryScanner scanner, Set<LookupStrategy> strategies) {
        this.scanner = scanner;
        this.strategies = EnumSet.copyOf(strategies);
    }

    public List<LookupMatch> lookup(LookupQuery q, Consumer<RegistryProblem> problems) {
        Target t = Target.of(q);
        List<RegistryScanner.Folder> folders = scanner.folders(new RegistryScanner.Visitor((e, b) -> { }, problems));
        for (LookupStrategy s : strategies) {
            Map<String, StoredEntry> found = new LinkedHashMap<>();
            for (RegistryScanner.Folder f : folders) {
                for (String sub : subFolders(s, t, q.modelId())) {
                    scanner.walk(f, sub, s == LookupStrategy.ARCH_DIGEST ? 1 : 4, new RegistryScanner.Visitor((e, bytes) -> {
                        if (accepts(s, t, e)) {
                            // An alias and its canonical file are one entry: keep the first path seen.
                            found.putIfAbsent(f.compiler() + "/" + f.version() + "/" + e.fileHash(), e);
                        }
                    }, problems));
                }
            }
            if (!found.isEmpty()) {
                return rows(found.values(), s, q);
            }
        }
        return List.of();
    }

    /** The folders below a version folder that a strategy searches. */
    private static List<String> subFolders(LookupStrategy s, Target t, String modelId) {
        List<String> out = new ArrayList<>();
        switch (s) {
            case ARCH_DIGEST -> {
                if (t.digest != null) {
                    out.add(t.digest);
                }
            }
            case ALIAS -> {
                if (modelId != null && t.modelType != null && SafePaths.refusal(modelId).isEmpty()) {
                    out.add(t.modelType + "/" + modelId);
                    OptimumCompat.LEGACY_MODE_FOLDERS.forEach(m -> out.add(m + "/" + t.modelType + "/" + modelId));
                }
            }
            case CONFIG -> {
                if (t.modelType != null) {
                    out.add(t.modelType);
                    OptimumCompat.LEGACY_MODE_FOLDERS.forEach(m -> out.add(m + "/" + t.modelType));
                }
            }
        }
        out.removeIf(p -> SafePaths.refusal(p).isPresent());
        return out;
    }

    private static boolean accepts(LookupStrategy s, Target t, StoredEntry e) {
        RegistryEntry entry = e.entry();
        if (s == LookupStrategy.ARCH_DIGEST) {
            return e.layout() == RegistryLayout.ARCH_DIGEST;
        }
        if (t.task != null && entry.task().isPresent() && !t.task.equals(entry.task().get())) {
            return false;
        }
        if (s == LookupStrategy.ALIAS) {
            return e.layout() != RegistryLayout.ARCH_DIGEST;
        }
        return !entry.isMultiModel() && sameArchitecture(t.config, entry.config());
    }

    /** Pre-0.4.5 has_same_arch, lenient form: same model_type and equal values on every common key. */
    private static boolean sameArchitecture(Map<Object, Object> target, Map<Object, Object> stored) {
        if (!Objects.equals(target.get("model_type"), stored.get("model_type"))) {
            return false;
        }
        int common = 0;
        for (Map.Entry<Object, Object> kv : target.entrySet()) {
            Object k = kv.getKey();
            if (OptimumCompat.WHITE_LIST.contains(k) || OptimumCompat.CONFIG_COMPARE_IGNORED.contains(k)
                    || !stored.containsKey(k)) {
                continue;
            }
            common++;
            if (!ConfigDiff.pyEquals(kv.getValue(), stored.get(k))) {
                return false;
            }
        }
        return common > 1; // more than model_type alone
    }

    private static List<LookupMatch> rows(Iterable<StoredEntry> entries, LookupStrategy s, LookupQuery q) {
        List<LookupMatch> rows = new ArrayList<>();
        for (StoredEntry e : entries) {
            Map<Object, Object> n = e.entry().neuron();
            LookupMatch m = new LookupMatch(integer(n, "batch_size", "static_batch_size"),
                    integer(n, "sequence_length", "static_sequence_length"),
                    integer(n, "tp_degree", "tensor_parallel_size", "num_cores"),
                    text(n, "torch_dtype", "dtype", "auto_cast_type", "float_dtype"), text(n, "target", "instance_type"),
                    text(n, "checkpoint_id") != null ? text(n, "checkpoint_id") : e.entry().modelId().orElse(null),
                    text(n, "checkpoint_revision"), e.fileHash(), e.source(), e.path(), s, e.compiler(),
                    e.registryVersion(), e.entry().task().orElse(null), compilerType(n, e),
                    text(n, "compiler_version", "neuronxcc_version") != null
                            ? text(n, "compiler_version", "neuronxcc_version") : e.compiler().version(),
                    n.containsKey("auto_cast") ? Objects.requireNonNullElse(text(n, "auto_cast"), "none") : null,
                    autoCastType(n), text(n, "optlevel"));
            if (keep(m, q)) {
                rows.add(m);
            }
        }
        Comparator<Long> longs = Comparator.nullsLast(Comparator.naturalOrder());
        rows.sort(Comparator.comparing(LookupMatch::tpDegree, longs).thenComparing(LookupMatch::batchSize, longs)
                .thenComparing(LookupMatch::sequenceLength, longs)
                .thenComparing(LookupMatch::torchDtype, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(LookupMatch::path));
        return rows;
    }

    /** optimum's filters are equality tests; target and dtype are normalised first (see OptimumCompat). */
    private static boolean keep(LookupMatch m, LookupQuery q) {
        return (q.batchSize() == null || q.batchSize().equals(m.batchSize()))
                && (q.sequenceLength() == null || q.sequenceLength().equals(m.sequenceLength()))
                && (q.tensorParallelSize() == null || q.tensorParallelSize().equals(m.tpDegree()))
                && (q.dtype() == null || dtype(q.dtype()).equals(dtype(m.torchDtype())))
                && (q.instanceType() == null || Objects.equals(OptimumCompat.normaliseTarget(q.instanceType()),
                OptimumCompat.normaliseTarget(m.target())));
    }

    /** Maps optimum's dtype spellings onto torch names, as its filter maps both sides to torch dtypes. */
    static String dtype(String d) {
        if (d == null) {
            return "";
        }
        return switch (d) {
            case "bf16", "bfloat16", "torch.bfloat16" -> "bfloat16";
            case "fp16", "float16", "torch.float16" -> "float16";
            case "fp32", "float32", "torch.float32" -> "float32";
            default -> d;
        };
    }

    /** optimum's {@code compiler_type} spelling; NxD entries record only {@code neuronxcc_version}. */
    private static String compilerType(Map<Object, Object> n, StoredEntry e) {
        String t = text(n, "compiler_type");
        if (t != null) {
            return t;
        }
        return n.containsKey("neuronxcc_version") || e.compiler().isNeuronxcc() ? "neuronx-cc" : e.compiler().name();
    }

    /**
     * The precision as {@code auto_cast_type} spells it (fp32, bf16, fp16): the entry's own when it records one (legacy
     * and traced entries with auto-cast on), else its dtype ({@code torch_dtype}, {@code dtype}, {@code float_dtype}).
     */
    static String autoCastType(Map<Object, Object> n) {
        String t = text(n, "auto_cast_type");
        if (t != null) {
            return t;
        }
        String d = text(n, "torch_dtype", "dtype", "float_dtype");
        return switch (dtype(d)) {
            case "bfloat16" -> "bf16";
            case "float16" -> "fp16";
            case "float32" -> "fp32";
            default -> d;
        };
    }

    private static Long integer(Map<Object, Object> n, String... keys) {
        for (String k : keys) {
            if (n.get(k) instanceof Long l) {
                return l;
            }
        }
        return null;
    }

    private static String text(Map<Object, Object> n, String... keys) {
        for (String k : keys) {
            if (n.get(k) instanceof String s) {
                return s;
            }
        }
        return null;
    }

    /** The model being looked up, in the form each strategy compares. */
    private record Target(String task, String modelType, String digest, Map<Object, Object> config) {
        @SuppressWarnings("unchecked")
        static Target of(LookupQuery q) {
            Map<String, Object> cfg = q.config();
            String task = q.task();
            if (task == null && cfg.get("architectures") instanceof List<?> archs && !archs.isEmpty()
                    && archs.get(0) instanceof String a) {
                task = OptimumCompat.inferTask(a);
            }
            if ("text-generation".equals(task) && cfg.get(OptimumCompat.TEXT_CONFIG_KEY) instanceof Map<?, ?> text
                    && text.get("model_type") instanceof String) {
                cfg = (Map<String, Object>) text;
            }
            Map<Object, Object> diff = ConfigDiff.diff(cfg, OptimumCompat.WHITE_LIST);
            String modelType = cfg.get("model_type") instanceof String mt && SafePaths.refusal(mt).isEmpty()
                    && !mt.contains("/") ? mt : null;
            String digest = null;
            if (modelType != null && task != null) {
                try {
                    digest = RegistryEntry.archDigestFor(cfg, task);
                } catch (RuntimeException e) {
                    digest = null; // a value Python could not dump: only the fall-backs can match
                }
            }
            return new Target(task, modelType, digest, diff);
        }
    }
}
