package io.jneuron.core.service;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.cache.CacheRepo;
import io.jneuron.core.export.ExportRequest;
import io.jneuron.core.export.ExportResult;
import io.jneuron.core.export.Exporter;
import io.jneuron.core.hub.HubClient;

import java.util.Optional;

/** {@code export}: the cache-first export, with a Hub cache repo to download compiled modules from on a local miss. */
public final class ExportService {
    private ExportService() {
    }

    /**
     * @param repoId the Hub cache repo (default: {@code CUSTOM_CACHE_REPO}, else the one {@code cache set} recorded);
     *               export never uploads to it
     */
    public static ExportResult export(ExportRequest req, String repoId, Context ctx) {
        if (req.instanceType() != null && !req.instanceType().matches("trn1|inf2|trn1n|trn2")) {
            throw new NeuronKernelException("--instance_type '" + req.instanceType() + "' is not one of trn1, inf2, trn1n, trn2");
        }
        if (req.optlevel() != null && !req.optlevel().matches("[123]")) {
            throw new NeuronKernelException("--optlevel '" + req.optlevel() + "' is not 1, 2 or 3");
        }
        Optional<String> repo = CacheRepo.resolve(repoId, ctx.hubConfig(), ctx.env());
        if (repo.isEmpty()) {
            return Exporter.export(ctx.resolver(), req, ctx.settings(), ctx.progress(), null, null);
        }
        try (HubClient hub = ctx.hubClient()) {
            return Exporter.export(ctx.resolver(), req, ctx.settings(), ctx.progress(), hub, repo.get());
        }
    }
}
