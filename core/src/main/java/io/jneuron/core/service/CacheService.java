package io.jneuron.core.service;

import io.jneuron.core.cache.CacheException;
import io.jneuron.core.cache.CacheRepo;
import io.jneuron.core.cache.CacheRoot;
import io.jneuron.core.cache.CacheSync;
import io.jneuron.core.cache.CleanupOptions;
import io.jneuron.core.cache.FederatedLookup;
import io.jneuron.core.cache.LookupQuery;
import io.jneuron.core.cache.ModelConfigs;
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
import java.util.Optional;
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
     * @param model    a folder with config.json, or a Hub id in the local Hugging Face cache
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

        public LookupRequest withRepoId(String repo) {
            return new LookupRequest(model, task, batchSize, sequenceLength, tensorParallelSize, dtype, instanceType,
                    repo, cacheDir);
        }
    }

    public static CacheResults.Lookup lookup(LookupRequest req, Context ctx) {
        Path hub = ModelConfigs.hubCache(ctx.env());
        ModelConfigs.Located m = ModelConfigs.find(req.model(), hub).orElseThrow(() -> new CacheException("no config.json "
                + "for '" + req.model() + "': not a folder with config.json and not in the Hub cache " + hub
                + "; download the model first or pass its folder"));
        String id = m.modelId() != null ? m.modelId() : req.model();
        LookupQuery q = LookupQuery.of(m.modelId(), m.config()).withTask(req.task()).withBatchSize(req.batchSize())
                .withSequenceLength(req.sequenceLength()).withTensorParallelSize(req.tensorParallelSize())
                .withDtype(req.dtype()).withInstanceType(req.instanceType());
        CacheRoot root = CacheRoot.resolve(req.cacheDir(), ctx.env());
        HubConfig hubConfig = HubConfig.fromEnvironment(ctx.env());
        Optional<String> repo = CacheRepo.resolve(req.repoId(), hubConfig, ctx.env());
        Consumer<RegistryProblem> skipped = skipped(ctx);
        if (repo.isEmpty()) {
            return new CacheResults.Lookup(id, root.path(), null,
                    FederatedLookup.lookup(q, root.registry(), Optional.empty(), skipped).rows());
        }
        try (HubClient client = HubClient.create(hubConfig)) {
            FederatedLookup.Result r = FederatedLookup.lookup(q, root.registry(),
                    Optional.of(RegistrySource.hub(client, repo.get())), skipped);
            r.warnings().forEach(ctx.warnings());
            return new CacheResults.Lookup(id, root.path(), repo.get(), r.rows());
        }
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

    /** {@code cache verify}: a cache root ({@code dir}, else {@code cacheDir}'s) or, with {@code repoId}, a Hub cache repo. */
    public static CacheResults.Verify verify(Path dir, String cacheDir, String repoId, Context ctx) {
        if (repoId != null) {
            if (dir != null) {
                throw new CacheException("give DIR or --repo_id, not both");
            }
            try (HubClient client = HubClient.create(HubConfig.fromEnvironment(ctx.env()))) {
                return new CacheResults.Verify(repoId, Registry.over(RegistrySource.hub(client, repoId)).verify());
            }
        }
        CacheRoot root = dir != null ? CacheRoot.at(dir) : CacheRoot.resolve(cacheDir, ctx.env());
        return new CacheResults.Verify(root.path().toString(), Registry.local(root.path()).verify());
    }

    /** {@code cache synchronize}: uploads complete modules and registry entries to the Hub cache repo. */
    public static CacheResults.Sync synchronize(String cacheDir, String repoId, Context ctx) {
        HubConfig config = HubConfig.fromEnvironment(ctx.env());
        String repo = CacheRepo.resolve(repoId, config, ctx.env()).orElseThrow(() -> new CacheException(
                "no cache repo to synchronize to; pass --repo_id, set CUSTOM_CACHE_REPO or run `jneuron cache set`"));
        Path root = CacheRoot.resolve(cacheDir, ctx.env()).path();
        try (HubClient client = HubClient.create(config)) {
            return new CacheResults.Sync(CacheSync.synchronize(root, client, repo));
        }
    }

    /** {@code cache create}: a Hub cache repo (private unless {@code isPublic}), recorded as this machine's. */
    public static CacheResults.RepoSet create(String name, boolean isPublic, Context ctx) {
        HubConfig config = HubConfig.fromEnvironment(ctx.env());
        try (HubClient client = HubClient.create(config)) {
            return recorded(CacheRepo.create(client, config, name, isPublic), true, ctx);
        }
    }

    /** {@code cache set}: use an existing Hub cache repo on this machine. */
    public static CacheResults.RepoSet set(String repo, Context ctx) {
        HubConfig config = HubConfig.fromEnvironment(ctx.env());
        try (HubClient client = HubClient.create(config)) {
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
