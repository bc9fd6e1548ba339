package io.jneuron.core;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Process-wide settings, read once from {@code neuron.kernel.*} system properties or
 * {@code NEURON_KERNEL_*} environment variables (properties win).
 *
 * @param backend explicit backend name, or null to pick the best available
 * @param threads     worker threads for CPU kernels (default: available processors)
 * @param exportCache where checkpoints given to {@code generate} are exported on the fly
 *                    ({@code neuron.kernel.export_cache}, default {@code ~/.cache/jneuron/exports})
 */
public record Settings(String backend, int threads, Path exportCache) {

    public Settings {
        if (threads <= 0) {
            throw new NeuronKernelException("threads must be positive, got " + threads);
        }
        if (exportCache == null) {
            exportCache = defaultExportCache();
        }
    }

    public Settings(String backend, int threads) {
        this(backend, threads, null);
    }

    private static Path defaultExportCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jneuron").resolve("exports");
    }

    public static Settings fromEnvironment() {
        return from(System.getProperties().entrySet().stream().collect(
                java.util.stream.Collectors.toMap(e -> e.getKey().toString(), e -> e.getValue().toString())), System.getenv());
    }

    static Settings from(Map<String, String> props, Map<String, String> env) {
        String backend = read(props, env, "backend");
        String threads = read(props, env, "threads");
        int n = Runtime.getRuntime().availableProcessors();
        if (threads != null) {
            try {
                n = Integer.parseInt(threads.trim());
            } catch (NumberFormatException e) {
                throw new NeuronKernelException("neuron.kernel.threads / NEURON_KERNEL_THREADS must be an integer, got '"
                        + threads + "'");
            }
        }
        String cache = read(props, env, "export_cache");
        return new Settings(backend == null || backend.isBlank() ? null : backend.trim(), n,
                cache == null || cache.isBlank() ? null : Path.of(cache));
    }

    private static String read(Map<String, String> props, Map<String, String> env, String key) {
        String p = props.get("neuron.kernel." + key);
        return p != null ? p : env.get("NEURON_KERNEL_" + key.toUpperCase(Locale.ROOT));
    }

    public Settings withBackend(String name) {
        return new Settings(name, threads, exportCache);
    }

    public Settings withThreads(int n) {
        return new Settings(backend, n, exportCache);
    }
}
