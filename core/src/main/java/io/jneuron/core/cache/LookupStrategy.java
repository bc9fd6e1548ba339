package io.jneuron.core.cache;

/** How a lookup found its entries (spec §7.2), tried in this order until one finds any. */
public enum LookupStrategy {
    /** The {@code <arch digest>/} folder of the model's config (v0.4.5+ registries). */
    ARCH_DIGEST("arch-digest"),
    /** The model's alias folders {@code <model_type>/<org>/<name>/} (any version). */
    ALIAS("alias"),
    /** Every entry of the model type whose config agrees on all common keys (the pre-0.4.5 algorithm). */
    CONFIG("config");

    private final String label;

    LookupStrategy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
