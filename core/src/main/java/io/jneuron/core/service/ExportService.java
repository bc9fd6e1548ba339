package io.jneuron.core.service;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.cache.CacheRepo;
import io.jneuron.core.export.ExportRequest;
import io.jneuron.core.export.ExportResult;
import io.jneuron.core.export.Exporter;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubFolders;

import java.util.Optional;

/**
 * {@code export}: the cache-first export, with a Hub cache repo to download compiled modules from on a local miss, and
 * an optional upload of the exported folder to a Hub model repo.
 */
public final class ExportService {
    private ExportService() {
    }

    /**
     * @param repoId the Hub cache repo (default: {@code CUSTOM_CACHE_REPO}, else the one {@code cache set} recorded);
     *               export never uploads to it
     * @param pushToHub a Hub model repo to upload the exported folder to (created if missing), or null
     */
    public static ExportResult export(ExportRequest req, String repoId, String pushToHub, Context ctx) {
        if (req.instanceType() != null && !req.instanceType().matches("trn1|inf2|trn1n|trn2")) {
            throw new NeuronKernelException("--instance_type '" + req.instanceType() + "' is not one of trn1, inf2, trn1n, trn2");
        }
        if (req.optlevel() != null && !req.optlevel().matches("[123]")) {
            throw new NeuronKernelException("-O" + req.optlevel() + " (--optlevel) is not valid: use -O1, -O2 or -O3");
        }
        Optional<String> repo = CacheRepo.resolve(repoId, ctx.hubConfig(), ctx.env());
        try (HubClient hub = repo.isPresent() || pushToHub != null ? ctx.hubClient() : null) {
            ExportResult r = Exporter.export(ctx.resolver(), req, ctx.settings(), ctx.progress(), hub, repo.orElse(null));
            if (pushToHub == null) {
                return r;
            }
            ctx.progress().progress("push " + pushToHub, -1);
            return r.withPushed(HubFolders.upload(hub, pushToHub, r.exported().folder(), false));
        }
    }
}
