package io.jneuron.core.cache;

import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.cache.internal.CacheCleaner;
import io.jneuron.core.cache.internal.ModuleDigests;
import io.jneuron.core.cache.internal.ModuleInspector;
import io.jneuron.core.cache.internal.RegistryScanner;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local compile cache folder: where it is (spec §4.1), which compiler folders it holds, and the
 * whole-cache operations {@code status} and {@code cleanup}. Immutable; the folder itself is shared.
 */
public record CacheRoot(Path path) {
    private static final Pattern CACHE_DIR_FLAG = Pattern.compile("(?:^|\\s)--cache_dir(?:=|\\s+)(\"[^\"]*\"|'[^']*'|\\S+)");

    public CacheRoot {
        path = path.toAbsolutePath().normalize();
    }

    public static CacheRoot at(Path path) {
        return new CacheRoot(path);
    }

    /**
     * The cache root as libneuronxla finds it: an explicit {@code cacheDir} (a {@code --cache_dir} option) wins, then
     * {@code --cache_dir} in {@code NEURON_CC_FLAGS}, then {@code NEURON_COMPILE_CACHE_URL}, then
     * {@link OptimumCompat#DEFAULT_CACHE_ROOT} (spec §4.1 [AWS]).
     *
     * @throws CacheException for an {@code s3://} URL, which this tool does not read
     */
    public static CacheRoot resolve(String cacheDir, Map<String, String> env) {
        String url = cacheDir;
        String from = "--cache_dir";
        if (url == null) {
            Matcher m = CACHE_DIR_FLAG.matcher(env.getOrDefault("NEURON_CC_FLAGS", ""));
            if (m.find()) {
                url = m.group(1).replaceAll("^[\"']|[\"']$", "");
                from = "NEURON_CC_FLAGS --cache_dir";
            }
        }
        if (url == null && env.get("NEURON_COMPILE_CACHE_URL") != null && !env.get("NEURON_COMPILE_CACHE_URL").isBlank()) {
            url = env.get("NEURON_COMPILE_CACHE_URL").trim();
            from = "NEURON_COMPILE_CACHE_URL";
        }
        if (url == null) {
            return at(Path.of(OptimumCompat.DEFAULT_CACHE_ROOT));
        }
        if (url.startsWith("s3://")) {
            throw new CacheException(from + " is " + url + ": S3 caches are not supported here; pass a local folder "
                    + "with --cache_dir");
        }
        return at(Path.of(url.startsWith("file://") ? url.substring(7) : url));
    }

    /** The compiler folders present, sorted by name then version. */
    public List<CompilerId> compilers() {
        return ModuleInspector.list(path).stream()
                .flatMap(name -> CompilerId.parse(name).filter(id -> Files.isDirectory(path.resolve(name),
                        LinkOption.NOFOLLOW_LINKS)).stream())
                .sorted(Comparator.comparing(CompilerId::name).thenComparing(CompilerId::version, CacheRoot::compareVersions))
                .toList();
    }

    public CompileCache compileCache(CompilerId compiler) {
        return new CompileCache(path, compiler);
    }

    public Registry registry() {
        return Registry.local(path);
    }

    /**
     * {@code cache verify}: every registry file re-hashed ({@link Registry#verify}) and every compiled module's
     * artifacts re-hashed against the digests its {@code model.done} recorded, sorted by path. A module whose
     * {@code model.done} records no digests (optimum's) is checked for presence only.
     */
    public List<VerifyResult> verify() {
        List<VerifyResult> out = new ArrayList<>(registry().verify());
        for (CompilerId id : compilers()) {
            for (ModuleDir m : compileCache(id).modules()) {
                String rel = id.folderName() + "/" + m.name();
                if (m.state() == ModuleState.CORRUPT) {
                    out.add(new VerifyResult(rel, false, Files.isSymbolicLink(m.path()) ? "a symbolic link (never used)"
                            : "model.done, but an artifact is missing (never used; cleanup removes it)"));
                } else if (m.state() == ModuleState.SUCCESS) {
                    Optional<String> bad = ModuleDigests.mismatch(m.path(), true);
                    out.add(new VerifyResult(rel, bad.isEmpty(), bad.orElse("artifacts match their recorded digests")));
                }
            }
        }
        out.sort(Comparator.comparing(VerifyResult::path));
        return out;
    }

    /** The command that clears stale locks and failed entries of this cache. */
    public String clearCommand() {
        return "jneuron cache cleanup --cache_dir " + path;
    }

    /** Whether {@code id} is the current version of its compiler (rule: {@link OptimumCompat#CURRENT_RULE}). */
    public boolean isCurrent(CompilerId id, Map<String, String> currentVersions) {
        String want = currentVersions.get(id.name());
        if (want == null && id.isNeuronxcc()) {
            want = OptimumCompat.NEURONXCC_VERSION;
        }
        if (want != null) {
            return id.version().startsWith(want);
        }
        return compilers().stream().filter(c -> c.name().equals(id.name()))
                .max(Comparator.comparing(CompilerId::version, CacheRoot::compareVersions)).map(id::equals).orElse(true);
    }

    /** Sizes and states of every compiler folder, as they are now. */
    public CacheStatus status(Map<String, String> currentVersions) {
        List<CacheStatus.Compiler> out = new ArrayList<>();
        long total = 0;
        long old = 0;
        for (CompilerId id : compilers()) {
            Map<ModuleState, Long> counts = new EnumMap<>(ModuleState.class);
            Map<ModuleState, Long> bytes = new EnumMap<>(ModuleState.class);
            for (ModuleState s : ModuleState.values()) {
                counts.put(s, 0L);
                bytes.put(s, 0L);
            }
            List<ModuleDir> stale = new ArrayList<>();
            for (ModuleDir m : compileCache(id).modules()) {
                counts.merge(m.state(), 1L, Long::sum);
                bytes.merge(m.state(), m.bytes(), Long::sum);
                if (m.lock() != null && m.lock().stale()) {
                    stale.add(m);
                }
            }
            long size = AtomicFiles.size(path.resolve(id.folderName()));
            boolean current = isCurrent(id, currentVersions);
            total += size;
            old += current ? 0 : size;
            out.add(new CacheStatus.Compiler(id, current, size, counts, bytes, stale, registryFiles(id)));
        }
        return new CacheStatus(path, total, out, old, clearCommand());
    }

    private long registryFiles(CompilerId id) {
        Path reg = path.resolve(id.folderName()).resolve(RegistryScanner.REGISTRY);
        if (!Files.isDirectory(reg, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        try (var files = Files.walk(reg, 7)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")
                    && !p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)).count();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /**
     * Removes what {@code options} selects (spec §4.3).
     *
     * @throws CacheException while a compile runs (a live lock in this cache, or a neuronx-cc process), naming it
     */
    public CleanupReport cleanup(CleanupOptions options) {
        return new CacheCleaner(this).run(options);
    }

    /** Compares dotted versions numerically part by part ({@code 2.9 < 2.21}), then as text. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("[^0-9]+");
        String[] y = b.split("[^0-9]+");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i].isEmpty() || y[i].isEmpty()) {
                continue;
            }
            int c = x[i].length() != y[i].length() ? Integer.compare(x[i].length(), y[i].length()) : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return x.length != y.length ? Integer.compare(x.length, y.length) : a.compareTo(b);
    }
}
