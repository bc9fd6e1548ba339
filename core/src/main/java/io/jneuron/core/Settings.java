package io.jneuron.core;

import java.util.Locale;
import java.util.Map;

/**
 * Process-wide settings, read once from {@code neuron.kernel.*} system properties or
 * {@code NEURON_KERNEL_*} environment variables (properties win).
 *
 * @param backend explicit backend name, or null to pick the best available
 * @param threads     worker threads for CPU kernels (default: available processors)
 * @param cacheDir    the compile cache root for exports, on-the-fly ones included ({@code neuron.kernel.cache_dir});
 *                    null resolves it from the environment as {@code export} does ({@code CacheRoot.resolve})
 */
public record Settings(String backend, int threads, String cacheDir) {

    public Settings {
        if (threads <= 0) {
            throw new NeuronKernelException("threads must be positive, got " + threads);
        }
        // More workers than processors only adds switching; a typo like 100000 would create that many threads.
        threads = Math.min(threads, maxThreads());
    }

    /** The most worker threads a setting gets: the processors this JVM may use. */
    public static int maxThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    public Settings(String backend, int threads) {
        this(backend, threads, null);
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
        String cache = read(props, env, "cache_dir");
        return new Settings(backend == null || backend.isBlank() ? null : backend.trim(), n,
                cache == null || cache.isBlank() ? null : cache);
    }

    private static String read(Map<String, String> props, Map<String, String> env, String key) {
        String p = props.get("neuron.kernel." + key);
        return p != null ? p : env.get("NEURON_KERNEL_" + key.toUpperCase(Locale.ROOT));
    }

    public Settings withBackend(String name) {
        return new Settings(name, threads, cacheDir);
    }

    public Settings withThreads(int n) {
        return new Settings(backend, n, cacheDir);
    }

    public Settings withCacheDir(String dir) {
        return new Settings(backend, threads, dir);
    }
}
