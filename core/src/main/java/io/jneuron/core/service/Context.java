package io.jneuron.core.service;

import io.jneuron.core.Settings;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.export.ModelKeeper;
import io.jneuron.core.export.ModelOpener;
import io.jneuron.core.export.ShapeRequest;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubConfig;
import io.jneuron.core.model.ModelResolver;

import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a service reads besides its request: the environment ({@code HF_HOME}, {@code HF_ENDPOINT},
 * {@code CUSTOM_CACHE_REPO}, ...), the settings, where progress goes and where warnings go (a skipped registry
 * file, a replaced cache repo), and how Hub clients are made (tests count requests). The CLI points progress and
 * warnings at stderr, a magic at the cell.
 */
public record Context(Map<String, String> env, Settings settings, ProgressListener progress,
                      Consumer<String> warnings, Function<HubConfig, HubClient> hubClients, ModelKeeper models) {
    public Context(Map<String, String> env, Settings settings, ProgressListener progress, Consumer<String> warnings,
                   Function<HubConfig, HubClient> hubClients) {
        this(env, settings, progress, warnings, hubClients, null);
    }

    public Context {
        env = Map.copyOf(env);
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(warnings, "warnings");
        Objects.requireNonNull(hubClients, "hubClients");
    }

    /** The process environment and settings, no progress, warnings on stderr: what a JShell cell gets. */
    public static Context fromEnvironment() {
        return of(System.getenv());
    }

    public static Context of(Map<String, String> env) {
        return new Context(env, Settings.fromEnvironment(), ProgressListener.NONE, System.err::println, HubClient::create);
    }

    public Context withSettings(Settings s) {
        return new Context(env, s, progress, warnings, hubClients, models);
    }

    public Context withProgress(ProgressListener p) {
        return new Context(env, settings, p, warnings, hubClients, models);
    }

    public Context withWarnings(Consumer<String> w) {
        return new Context(env, settings, progress, w, hubClients, models);
    }

    public Context withHubClients(Function<HubConfig, HubClient> clients) {
        return new Context(env, settings, progress, warnings, clients, models);
    }

    /**
     * The same context with models opened through {@code keeper} (a notebook kernel's, kept between cells; see
     * {@link ModelKeeper}); null opens and closes a model per call, as the command line does.
     */
    public Context withModels(ModelKeeper keeper) {
        return new Context(env, settings, progress, warnings, hubClients, keeper);
    }

    /** MODEL opened in this context: through {@link #models} when set, else loaded for this call alone. */
    public ModelOpener.Opened open(String model, ShapeRequest shape, boolean tokenizer) {
        return ModelOpener.open(models, resolver(), model, shape, settings, progress, tokenizer);
    }

    public HubConfig hubConfig() {
        return HubConfig.fromEnvironment(env);
    }

    /** A Hub client whose downloads report to this context's progress. */
    public HubClient hubClient() {
        return hubClients.apply(hubConfig()).onProgress(progress);
    }

    /** Resolves MODEL (a folder, the Hugging Face cache, the Hub) in this environment. */
    public ModelResolver resolver() {
        return new ModelResolver(hubConfig(), c -> hubClients.apply(c).onProgress(progress));
    }
}
