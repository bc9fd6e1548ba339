package io.jneuron.core.service;

import io.jneuron.core.cache.CacheException;
import io.jneuron.core.cache.CacheRepo;
import io.jneuron.core.cache.CacheRoot;
import io.jneuron.core.cache.CacheSync;
import io.jneuron.core.cache.CleanupOptions;
import io.jneuron.core.cache.ModelLookup;
import io.jneuron.core.cache.Registry;
import io.jneuron.core.cache.RegistryProblem;
import io.jneuron.core.cache.RegistryScan;
import io.jneuron.core.cache.RegistrySource;
import io.jneuron.core.cache.StoredEntry;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The {@code cache} verbs: lookup, list, status, cleanup, verify over a compile cache root (and a Hub cache repo),
 * and synchronize, create, set of the Hub cache repo. Each takes a request and a {@link Context} and returns a
 * {@link CacheResults} record. Stateless.
 */
public final class CacheService {
    private CacheService() {
    }

    /**
     * {@code cache lookup}. Null fields are "not given".
     *
     * @param model    a folder with config.json, or a Hub id (its config.json is fetched when not cached)
     * @param repoId   a Hub cache repo to search too (default: {@code CUSTOM_CACHE_REPO}, else the one {@code cache set} recorded)
     * @param cacheDir the compile cache root (default: from the environment)
     */
    public record LookupRequest(String model, String task, Long batchSize, Long sequenceLength, Long tensorParallelSize,
                                String dtype, String instanceType, String repoId, String cacheDir) {
        public static LookupRequest of(String model) {
            return new LookupRequest(model, null, null, null, null, null, null, null, null);
        }

        public LookupRequest withCacheDir(String dir) {
            return new LookupRequest(model, task, batchSize, sequenceLength, tensorParallelSize, dtype, instanceType,
                    repoId, dir);
        }
    }

    public static CacheResults.Lookup lookup(LookupRequest req, Context ctx) {
        ModelLookup.Result r = ModelLookup.lookup(ctx.resolver(), req.model(),
                q -> q.withTask(req.task()).withBatchSize(req.batchSize()).withSequenceLength(req.sequenceLength())
                        .withTensorParallelSize(req.tensorParallelSize()).withDtype(req.dtype())
                        .withInstanceType(req.instanceType()),
                CacheRoot.resolve(req.cacheDir(), ctx.env()), CacheRepo.resolve(req.repoId(), ctx.hubConfig(), ctx.env()),
                skipped(ctx));
        r.warnings().forEach(ctx.warnings());
        return new CacheResults.Lookup(r.model(), r.root(), r.repo(), r.rows());
    }

    /** {@code cache list}: entries grouped per model; the model id comes from the entry, else from its alias folder. */
    public static CacheResults.Models list(String cacheDir, Context ctx) {
        RegistryScan scan = CacheRoot.resolve(cacheDir, ctx.env()).registry().scan();
        scan.problems().forEach(skipped(ctx));
        Map<List<String>, Set<String>> groups = new TreeMap<>((a, b) -> String.join("\0", a).compareTo(String.join("\0", b)));
        for (StoredEntry e : scan.entries()) {
            String id = e.entry().modelId().orElse(e.modelIdFromPath());
            List<String> key = List.of(e.compiler().folderName(), e.registryVersion(), id == null ? "?" : id,
                    e.entry().modelType().orElse("?"), e.entry().task().orElse("?"));
            groups.computeIfAbsent(key, k -> new TreeSet<>()).add(e.fileHash());
        }
        List<CacheResults.Models.Model> out = new ArrayList<>();
        groups.forEach((k, hashes) -> out.add(new CacheResults.Models.Model(k.get(0), k.get(1), k.get(2), k.get(3),
                k.get(4), hashes.size())));
        return new CacheResults.Models(out);
    }

    /** {@code cache status}; {@code current} maps a compiler name to its current version (e.g. neuronxcc=2.21). */
    public static CacheResults.Status status(String cacheDir, Map<String, String> current, Context ctx) {
        return new CacheResults.Status(CacheRoot.resolve(cacheDir, ctx.env()).status(current == null ? Map.of() : current));
    }

    /** {@code cache cleanup}: refuses while a compile runs. */
    public static CacheResults.Cleanup cleanup(String cacheDir, CleanupOptions options, Context ctx) {
        CacheRoot root = CacheRoot.resolve(cacheDir, ctx.env());
        return new CacheResults.Cleanup(root.path(), root.cleanup(options));
    }

    /**
     * {@code cache verify}: the registry files and compiled modules of a cache root ({@code dir}, else {@code cacheDir}'s)
     * or, with {@code repoId}, the registry of a Hub cache repo.
     */
    public static CacheResults.Verify verify(Path dir, String cacheDir, String repoId, Context ctx) {
        if (repoId != null) {
            if (dir != null) {
                throw new CacheException("give DIR or --repo_id, not both");
            }
            try (HubClient client = ctx.hubClient()) {
                return new CacheResults.Verify(repoId, Registry.over(RegistrySource.hub(client, repoId)).verify());
            }
        }
        CacheRoot root = dir != null ? CacheRoot.at(dir) : CacheRoot.resolve(cacheDir, ctx.env());
        return new CacheResults.Verify(root.path().toString(), root.verify());
    }

    /** {@code cache synchronize}: uploads complete modules and registry entries to the Hub cache repo. */
    public static CacheResults.Sync synchronize(String cacheDir, String repoId, Context ctx) {
        HubConfig config = HubConfig.fromEnvironment(ctx.env());
        String repo = CacheRepo.resolve(repoId, config, ctx.env()).orElseThrow(() -> new CacheException(
                "no cache repo to synchronize to; pass --repo_id, set CUSTOM_CACHE_REPO or run `jneuron cache set`"));
        Path root = CacheRoot.resolve(cacheDir, ctx.env()).path();
        try (HubClient client = ctx.hubClients().apply(config)) {
            return new CacheResults.Sync(CacheSync.synchronize(root, client, repo));
        }
    }

    /** {@code cache create}: a Hub cache repo (private unless {@code isPublic}), recorded as this machine's. */
    public static CacheResults.RepoSet create(String name, boolean isPublic, Context ctx) {
        HubConfig config = HubConfig.fromEnvironment(ctx.env());
        try (HubClient client = ctx.hubClients().apply(config)) {
            return recorded(CacheRepo.create(client, config, name, isPublic), true, ctx);
        }
    }

    /** {@code cache set}: use an existing Hub cache repo on this machine. */
    public static CacheResults.RepoSet set(String repo, Context ctx) {
        HubConfig config = HubConfig.fromEnvironment(ctx.env());
        try (HubClient client = ctx.hubClients().apply(config)) {
            return recorded(CacheRepo.set(client, config, repo), false, ctx);
        }
    }

    private static CacheResults.RepoSet recorded(CacheRepo.Recorded r, boolean created, Context ctx) {
        if (r.previous() != null && !r.previous().equals(r.repo())) {
            ctx.warnings().accept("warning: replaced the cache repo " + r.previous() + " with " + r.repo());
        }
        return new CacheResults.RepoSet(r, created);
    }

    private static Consumer<RegistryProblem> skipped(Context ctx) {
        return p -> ctx.warnings().accept("warning: skipped " + p.path() + ": " + p.reason());
    }
}
