package io.jneuron.core.service;

import io.jneuron.core.Settings;
import io.jneuron.core.backend.ProgressListener;

import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a service reads besides its request: the environment ({@code HF_HOME}, {@code HF_ENDPOINT},
 * {@code CUSTOM_CACHE_REPO}, ...), the settings, where progress goes and where warnings go (a skipped registry
 * file, a replaced cache repo). The CLI points progress and warnings at stderr, a magic at the cell.
 */
public record Context(Map<String, String> env, Settings settings, ProgressListener progress,
                      Consumer<String> warnings) {
    public Context {
        env = Map.copyOf(env);
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(warnings, "warnings");
    }

    /** The process environment and settings, no progress, warnings on stderr: what a JShell cell gets. */
    public static Context fromEnvironment() {
        return of(System.getenv());
    }

    public static Context of(Map<String, String> env) {
        return new Context(env, Settings.fromEnvironment(), ProgressListener.NONE, System.err::println);
    }

    public Context withSettings(Settings s) {
        return new Context(env, s, progress, warnings);
    }

    public Context withProgress(ProgressListener p) {
        return new Context(env, settings, p, warnings);
    }

    public Context withWarnings(Consumer<String> w) {
        return new Context(env, settings, progress, w);
    }
}
