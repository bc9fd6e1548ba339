package io.jneuron.core.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where the Hub is and who we are to it, read once from the environment the way huggingface_hub and
 * optimum-neuron read it (specs/optimum-neuron-cache.md §3.1, §3.8). Tests build it from a map, never
 * by changing the process environment. {@code toString} is safe to print: the token is redacted.
 *
 * @param endpoint  {@code HF_ENDPOINT} without a trailing slash (default {@code https://huggingface.co});
 *                  the token is sent to this origin and nowhere else
 * @param token     {@code HF_TOKEN}, else {@code HUGGING_FACE_HUB_TOKEN}, else the token file
 *                  ({@code HF_TOKEN_PATH}, default {@code $HF_HOME/token})
 * @param hfHome    {@code HF_HOME}, else {@code $XDG_CACHE_HOME/huggingface}, else {@code ~/.cache/huggingface}
 * @param hubCache  {@code HF_HUB_CACHE}, else {@code $HF_HOME/hub}: the standard download cache
 * @param offline   {@code HF_HUB_OFFLINE} is 1/true/yes/on: no network at all, answers from the local caches
 * @param cacheRepo the optimum-neuron cache repo: {@code CUSTOM_CACHE_REPO}, else the contents of
 *                  {@code $HF_HOME/optimum_neuron_custom_cache}, else {@code aws-neuron/optimum-neuron-cache}
 *                  (none when {@code HUGGINGFACE_CO_STAGING=1})
 * @param downloads how long a transfer may stall or take ({@code HF_HUB_DOWNLOAD_TIMEOUT},
 *                  {@code NEURON_KERNEL_DOWNLOAD_DEADLINE}; {@link DownloadLimits})
 */
public record HubConfig(String endpoint, Optional<HubToken> token, Path hfHome, Path hubCache, boolean offline,
                        Optional<String> cacheRepo, DownloadLimits downloads) {

    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    public static final String DEFAULT_CACHE_REPO = "aws-neuron/optimum-neuron-cache";
    /** The file optimum-neuron's {@code cache set} writes; it holds just a repo id. */
    public static final String CUSTOM_CACHE_FILE = "optimum_neuron_custom_cache";

    public HubConfig {
        endpoint = checkEndpoint(endpoint);
        token = token == null ? Optional.empty() : token;
        cacheRepo = cacheRepo == null ? Optional.empty() : cacheRepo;
        downloads = downloads == null ? DownloadLimits.DEFAULT : downloads;
        if (hfHome == null || hubCache == null) {
            throw new IllegalArgumentException("hfHome and hubCache are required");
        }
    }

    public static HubConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static HubConfig fromEnvironment(Map<String, String> env) {
        Path hfHome = hfHome(env);
        String hubCacheEnv = get(env, "HF_HUB_CACHE");
        Path hubCache = hubCacheEnv != null ? Path.of(hubCacheEnv) : hfHome.resolve("hub");
        String endpoint = Optional.ofNullable(get(env, "HF_ENDPOINT")).orElse(DEFAULT_ENDPOINT);
        return new HubConfig(endpoint, token(env, hfHome), hfHome, hubCache, isTrue(get(env, "HF_HUB_OFFLINE")),
                cacheRepo(env, hfHome), DownloadLimits.fromEnvironment(env));
    }

    /** A config for a server of ours (tests, air-gapped teams): this endpoint and token, caches under hfHome. */
    public static HubConfig of(String endpoint, HubToken token, Path hfHome) {
        return new HubConfig(endpoint, Optional.ofNullable(token), hfHome, hfHome.resolve("hub"), false, Optional.empty(),
                DownloadLimits.DEFAULT);
    }

    public HubConfig withOffline(boolean value) {
        return new HubConfig(endpoint, token, hfHome, hubCache, value, cacheRepo, downloads);
    }

    public HubConfig withDownloads(DownloadLimits value) {
        return new HubConfig(endpoint, token, hfHome, hubCache, offline, cacheRepo, value);
    }

    /** {@code $HF_HOME/optimum_neuron_custom_cache}, where {@code cache set} records the team's repo. */
    public Path customCacheFile() {
        return hfHome.resolve(CUSTOM_CACHE_FILE);
    }

    private static Path hfHome(Map<String, String> env) {
        String hf = get(env, "HF_HOME");
        if (hf != null) {
            return Path.of(hf);
        }
        String xdg = get(env, "XDG_CACHE_HOME");
        Path base = xdg != null ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("huggingface");
    }

    private static Optional<HubToken> token(Map<String, String> env, Path hfHome) {
        for (String name : new String[] {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"}) {
            String t = get(env, name);
            if (t != null) {
                return Optional.of(HubToken.of(t));
            }
        }
        String pathEnv = get(env, "HF_TOKEN_PATH");
        Path file = pathEnv != null ? Path.of(pathEnv) : hfHome.resolve("token");
        String text = readSmallFile(file);
        return text == null || text.isBlank() ? Optional.empty() : Optional.of(HubToken.of(text));
    }

    private static Optional<String> cacheRepo(Map<String, String> env, Path hfHome) {
        String custom = get(env, "CUSTOM_CACHE_REPO");
        if (custom != null) {
            return Optional.of(custom.strip());
        }
        String fromFile = readSmallFile(hfHome.resolve(CUSTOM_CACHE_FILE));
        if (fromFile != null && !fromFile.isBlank()) {
            return Optional.of(fromFile.strip());
        }
        return isTrue(get(env, "HUGGINGFACE_CO_STAGING")) ? Optional.empty() : Optional.of(DEFAULT_CACHE_REPO);
    }

    /** A token or repo file is a few bytes; anything big is not one, and is not read into memory. */
    private static String readSmallFile(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > 4096) {
                return null;
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            // An unreadable optional file is the same as an absent one; the message must not echo its contents.
            return null;
        }
    }

    private static String checkEndpoint(String endpoint) {
        String e = endpoint == null ? "" : endpoint.strip().replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(e);
        } catch (IllegalArgumentException ex) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || uri.getUserInfo() != null
                || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new HubException(HubException.Kind.INVALID, 0, null, "HF_ENDPOINT '" + endpoint
                    + "' is not an http(s) URL with a host (and no user:password); set it like https://huggingface.co");
        }
        return e;
    }

    private static String get(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** huggingface_hub's truthy values for boolean environment variables. */
    static boolean isTrue(String v) {
        return v != null && switch (v.strip().toUpperCase(Locale.ROOT)) {
            case "1", "ON", "YES", "TRUE" -> true;
            default -> false;
        };
    }
}
