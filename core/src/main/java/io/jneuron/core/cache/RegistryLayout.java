package io.jneuron.core.cache;

import java.util.List;
import java.util.Optional;

/** Where an entry file sits under {@code 0_REGISTRY/<optimum-neuron version>/} (spec §2.1). */
public enum RegistryLayout {
    /** {@code <arch digest>/<hash>.json}: the canonical file of v0.4.5 and later. */
    ARCH_DIGEST,
    /** {@code <model_type>/<org>/<name>/<hash>.json}: v0.0.18, v0.2.0-v0.4.4, and the aliases of v0.4.5+. */
    MODEL_ID,
    /** {@code {inference|training}/<model_type>/<org>/<name>/<hash>.json}: v0.0.19-v0.1.x. */
    MODE_MODEL_ID;

    /**
     * The layout of an entry at {@code segments} (the path below the version folder, file name last), or empty
     * when no optimum-neuron version put entries there. Org-less ids ({@code gpt2}) have one name segment.
     */
    public static Optional<RegistryLayout> of(List<String> segments) {
        int n = segments.size();
        if (n == 2 && segments.get(0).matches("[0-9a-f]{64}")) {
            return Optional.of(ARCH_DIGEST);
        }
        if (n >= 4 && n <= 5 && OptimumCompat.LEGACY_MODE_FOLDERS.contains(segments.get(0))) {
            return Optional.of(MODE_MODEL_ID);
        }
        if (n >= 3 && n <= 4 && !segments.get(0).matches("[0-9a-f]{64}")) {
            return Optional.of(MODEL_ID);
        }
        return Optional.empty();
    }
}
