package io.jneuron.cpu.decoder;

/**
 * Names of the packed tensors inside a CPU artifact, shared by every architecture: each
 * architecture's mapping writes them, {@link DecoderLoader} reads them.
 */
public final class TensorNames {
    public static final String TOKEN_EMBEDDING = "token_embedding";
    public static final String POSITION_EMBEDDING = "position_embedding";
    public static final String FINAL_NORM_WEIGHT = "final_norm.weight";
    public static final String FINAL_NORM_BIAS = "final_norm.bias";
    public static final String LM_HEAD = "lm_head";

    private TensorNames() {
    }

    /** e.g. {@code layer(3, "qkv.weight")} is {@code layers.3.qkv.weight}. */
    public static String layer(int i, String part) {
        return "layers." + i + "." + part;
    }
}
