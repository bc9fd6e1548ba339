package io.jneuron.core.cache;

import io.jneuron.core.hub.HubClient;
import io.jneuron.core.model.ModelResolver;
import io.jneuron.core.model.ModelSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * {@code cache lookup MODEL}: resolves MODEL for its config ({@link ModelResolver.Need#CONFIG}: a folder, the
 * Hugging Face cache, else just {@code config.json} fetched from the Hub), then searches the local cache and,
 * when {@code repo} is given, a Hub cache repo ({@link FederatedLookup}).
 */
public final class ModelLookup {
    private ModelLookup() {
    }

    /**
     * @param model    the Hub id, or {@code local/<folder>} for a plain folder (the alias export files entries under)
     * @param repo     the Hub cache repo searched too, or null
     * @param warnings one line per source that could not be searched
     */
    public record Result(String model, Path root, List<LookupMatch> rows, String repo, List<String> warnings) {
        public Result {
            rows = List.copyOf(rows);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * @param filters applies the user's optional filters (task, shapes, dtype, instance type) to the query
     * @param skipped registry files that could not be read, reported and skipped
     */
    public static Result lookup(ModelResolver resolver, String model, UnaryOperator<LookupQuery> filters, CacheRoot root,
                                Optional<String> repo, Consumer<RegistryProblem> skipped) {
        ModelSource src = resolver.resolve(model, ModelResolver.Need.CONFIG);
        LookupQuery q = filters.apply(LookupQuery.of(src.modelId(), src.config()));
        try (HubClient client = repo.isPresent() ? resolver.client() : null) {
            FederatedLookup.Result r = FederatedLookup.lookup(q, root.registry(),
                    repo.map(id -> RegistrySource.hub(client, id)), skipped);
            return new Result(src.modelId(), root.path(), r.rows(), repo.orElse(null), r.warnings());
        }
    }
}
