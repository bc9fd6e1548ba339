package io.jneuron.core.service;

import io.jneuron.core.cache.CacheException;
import io.jneuron.core.cache.CacheRepo;
import io.jneuron.core.cache.CacheRoot;
import io.jneuron.core.cache.CacheSync;
import io.jneuron.core.cache.CleanupOptions;
import io.jneuron.core.cache.FederatedLookup;
import io.jneuron.core.cache.LookupQuery;
import io.jneuron.core.cache.Registry;
import io.jneuron.core.cache.RegistryProblem;
import io.jneuron.core.cache.RegistryScan;
import io.jneuron.core.cache.RegistrySource;
import io.jneuron.core.cache.StoredEntry;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubConfig;
import io.jneuron.core.model.ModelResolver;
import io.jneuron.core.model.ModelSource;

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

    /**
     * {@code cache lookup MODEL}: resolves MODEL for its config ({@link ModelResolver.Need#CONFIG}: a folder, the
     * Hugging Face cache, else just {@code config.json} fetched from the Hub), then searches the local cache and, when
     * a cache repo is set, the Hub ({@link FederatedLookup}). The model is its Hub id, or {@code local/<folder>} for a
     * plain folder (the alias export files entries under).
     */
    public static CacheResults.Lookup lookup(LookupRequest req, Context ctx) {
        ModelResolver resolver = ctx.resolver();
        CacheRoot root = CacheRoot.resolve(req.cacheDir(), ctx.env());
        Optional<String> repo = CacheRepo.resolve(req.repoId(), ctx.hubConfig(), ctx.env());
        ModelSource src = resolver.resolve(req.model(), ModelResolver.Need.CONFIG);
        LookupQuery q = new LookupQuery(src.modelId(), src.config(), req.task(), req.batchSize(), req.sequenceLength(),
                req.tensorParallelSize(), req.dtype(), req.instanceType());
        try (HubClient client = repo.isPresent() ? resolver.client() : null) {
            FederatedLookup.Result r = FederatedLookup.lookup(q, root.registry(),
                    repo.map(id -> RegistrySource.hub(client, id)), skipped(ctx));
            r.warnings().forEach(ctx.warnings());
            return new CacheResults.Lookup(src.modelId(), root.path(), repo.orElse(null), r.rows());
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
