package io.jneuron.core.testing;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.model.RopeScaling;

import java.util.Locale;

/**
 * What {@link TinyModels} generates: architecture, sizes, checkpoint dtype, weight seed and file layout.
 * Start from {@link #preset} and adjust with the {@code with*} methods; {@link #validate()} runs before
 * anything is written.
 *
 * @param preset     the preset the sizes started from ("tiny" or "110m"), for the record only
 * @param dtype      checkpoint dtype: "F32", "F16" or "BF16"
 * @param headDim    per-head width; 0 means hidden / heads (config.json then omits {@code head_dim})
 * @param tied       whether lm_head shares the embedding matrix ({@code tie_word_embeddings})
 * @param shards     1 writes model.safetensors; more write model-0000k-of-0000n.safetensors and an index
 */
public record TinyModelSpec(Architecture architecture, String preset, long seed, String dtype, int vocabSize,
                            int hiddenSize, int numLayers, int numHeads, int numKvHeads, int headDim,
                            int intermediateSize, int maxPositions, boolean tied, RopeScalingType ropeScaling,
                            int shards) {
    /** Largest vocabulary generated; the tokenizer's synthetic merges would get silly beyond it. */
    public static final int MAX_VOCAB = 1 << 18;
    public static final double ROPE_THETA = 10000.0;
    public static final double NORM_EPS = 1e-5;

    /** {@code rope_scaling} written to a Llama config.json. */
    public enum RopeScalingType { NONE, LINEAR, LLAMA3 }

    /**
     * The named sizes: "tiny" (H=128, 4 layers, 4 heads, 2 kv heads for Llama, I=344, V=2048, 512 positions)
     * or "110m" (H=768, 12 layers, 12 heads and kv heads, I=2048, V=32000, 1024 positions). Both tie the
     * embeddings, use seed 0, F32 and one shard.
     */
    public static TinyModelSpec preset(Architecture architecture, String preset) {
        boolean llama = architecture != Architecture.GPT2;
        // Families with an explicit head_dim get one that is not hidden / heads.
        int headDim = FamilyConfigFiles.explicitHeadDim(architecture) ? 48 : 0;
        return switch (preset.toLowerCase(Locale.ROOT)) {
            case "tiny" -> new TinyModelSpec(architecture, "tiny", 0, "F32", 2048, 128, 4, 4, llama ? 2 : 4, headDim,
                    344, 512, true, RopeScalingType.NONE, 1);
            case "110m" -> new TinyModelSpec(architecture, "110m", 0, "F32", 32000, 768, 12, 12, 12, 0,
                    2048, 1024, true, RopeScalingType.NONE, 1);
            default -> throw new NeuronKernelException("unknown preset '" + preset + "'; use tiny or 110m");
        };
    }

    public static TinyModelSpec tiny(Architecture architecture) {
        return preset(architecture, "tiny");
    }

    public TinyModelSpec withSeed(long s) {
        return new TinyModelSpec(architecture, preset, s, dtype, vocabSize, hiddenSize, numLayers, numHeads,
                numKvHeads, headDim, intermediateSize, maxPositions, tied, ropeScaling, shards);
    }

    public TinyModelSpec withDtype(String d) {
        return new TinyModelSpec(architecture, preset, seed, d.toUpperCase(Locale.ROOT), vocabSize, hiddenSize,
                numLayers, numHeads, numKvHeads, headDim, intermediateSize, maxPositions, tied, ropeScaling, shards);
    }

    public TinyModelSpec withVocabSize(int v) {
        return new TinyModelSpec(architecture, preset, seed, dtype, v, hiddenSize, numLayers, numHeads,
                numKvHeads, headDim, intermediateSize, maxPositions, tied, ropeScaling, shards);
    }

    public TinyModelSpec withHiddenSize(int h) {
        return new TinyModelSpec(architecture, preset, seed, dtype, vocabSize, h, numLayers, numHeads,
                numKvHeads, headDim, intermediateSize, maxPositions, tied, ropeScaling, shards);
    }

    public TinyModelSpec withNumLayers(int l) {
        return new TinyModelSpec(architecture, preset, seed, dtype, vocabSize, hiddenSize, l, numHeads,
                numKvHeads, headDim, intermediateSize, maxPositions, tied, ropeScaling, shards);
    }

    /** Sets the attention heads; GPT-2 has no grouped-query attention, so its kv heads follow. */
    public TinyModelSpec withNumHeads(int n) {
        int kv = architecture == Architecture.GPT2 ? n : numKvHeads;
        return new TinyModelSpec(architecture, preset, seed, dtype, vocabSize, hiddenSize, numLayers, n,
                kv, headDim, intermediateSize, maxPositions, tied, ropeScaling, shards);
    }

    public TinyModelSpec withNumKvHeads(int kv) {
        return new TinyModelSpec(architecture, preset, seed, dtype, vocabSize, hiddenSize, numLayers, numHeads,
                kv, headDim, intermediateSize, maxPositions, tied, ropeScaling, shards);
    }

    /** An explicit {@code head_dim} (Llama only); 0 restores hidden / heads. */
    public TinyModelSpec withHeadDim(int d) {
        return new TinyModelSpec(architecture, preset, seed, dtype, vocabSize, hiddenSize, numLayers, numHeads,
                numKvHeads, d, intermediateSize, maxPositions, tied, ropeScaling, shards);
    }

    public TinyModelSpec withIntermediateSize(int i) {
        return new TinyModelSpec(architecture, preset, seed, dtype, vocabSize, hiddenSize, numLayers, numHeads,
                numKvHeads, headDim, i, maxPositions, tied, ropeScaling, shards);
    }

    public TinyModelSpec withMaxPositions(int p) {
        return new TinyModelSpec(architecture, preset, seed, dtype, vocabSize, hiddenSize, numLayers, numHeads,
                numKvHeads, headDim, intermediateSize, p, tied, ropeScaling, shards);
    }

    public TinyModelSpec withTied(boolean t) {
        return new TinyModelSpec(architecture, preset, seed, dtype, vocabSize, hiddenSize, numLayers, numHeads,
                numKvHeads, headDim, intermediateSize, maxPositions, t, ropeScaling, shards);
    }

    public TinyModelSpec withRopeScaling(RopeScalingType r) {
        return new TinyModelSpec(architecture, preset, seed, dtype, vocabSize, hiddenSize, numLayers, numHeads,
                numKvHeads, headDim, intermediateSize, maxPositions, tied, r, shards);
    }

    public TinyModelSpec withShards(int n) {
        return new TinyModelSpec(architecture, preset, seed, dtype, vocabSize, hiddenSize, numLayers, numHeads,
                numKvHeads, headDim, intermediateSize, maxPositions, tied, ropeScaling, n);
    }

    /** {@code head_dim} as the model uses it. */
    public int effectiveHeadDim() {
        return headDim > 0 ? headDim : hiddenSize / numHeads;
    }

    /** The rope_scaling this spec writes, or null: linear x2, or llama3 x8 (low 1, high 4, original P/4). */
    public RopeScaling ropeScalingConfig() {
        return switch (ropeScaling) {
            case NONE -> null;
            case LINEAR -> new RopeScaling("linear", 2.0, 0, 0, 0);
            case LLAMA3 -> new RopeScaling("llama3", 8.0, 1.0, 4.0, Math.max(1, maxPositions / 4));
        };
    }

    /**
     * The {@link ModelConfig} that reading the generated config.json yields, for GPT-2 and Llama (the other
     * families' configs carry traits: read their config.json with ConfigReader).
     */
    public ModelConfig toModelConfig() {
        if (architecture != Architecture.GPT2 && architecture != Architecture.LLAMA) {
            throw new NeuronKernelException("toModelConfig covers gpt2 and llama; read " + architecture.modelType()
                    + "'s config.json instead");
        }
        boolean llama = architecture == Architecture.LLAMA;
        return new ModelConfig(architecture, vocabSize, hiddenSize, numLayers, numHeads, numKvHeads,
                effectiveHeadDim(), intermediateSize, maxPositions, NORM_EPS, llama ? ROPE_THETA : 0,
                ropeScalingConfig(), tied, llama ? "silu" : "gelu_new", !llama, !llama, torchDtype());
    }

    /** {@code torch_dtype} of config.json. */
    public String torchDtype() {
        return switch (dtype) {
            case "F16" -> "float16";
            case "BF16" -> "bfloat16";
            default -> "float32";
        };
    }

    /**
     * Checks that the sizes make a model transformers could load.
     *
     * @throws NeuronKernelException naming the offending value
     */
    public TinyModelSpec validate() {
        if (architecture == null) {
            throw new NeuronKernelException("no architecture; use one of " + String.join(", ", Architecture.modelTypes()));
        }
        if (!dtype.equals("F32") && !dtype.equals("F16") && !dtype.equals("BF16")) {
            throw new NeuronKernelException("unsupported checkpoint dtype '" + dtype + "'; use F32, F16 or BF16");
        }
        positive("hidden size", hiddenSize);
        positive("layers", numLayers);
        positive("heads", numHeads);
        positive("kv heads", numKvHeads);
        positive("intermediate size", intermediateSize);
        positive("max positions", maxPositions);
        positive("shards", shards);
        int specials = TokenizerFiles.specialTokens(architecture).size();
        if (vocabSize < 256 + specials || vocabSize > MAX_VOCAB) {
            throw new NeuronKernelException("vocab size " + vocabSize + " is out of range: a byte-level BPE for "
                    + architecture.modelType() + " needs " + (256 + specials) + " to " + MAX_VOCAB + " tokens");
        }
        if (headDim < 0) {
            throw new NeuronKernelException("head dim must be positive, got " + headDim);
        }
        if (headDim == 0 && hiddenSize % numHeads != 0) {
            throw new NeuronKernelException("hidden size " + hiddenSize + " is not a multiple of " + numHeads
                    + " heads");
        }
        if (architecture == Architecture.GPT2) {
            if (numKvHeads != numHeads) {
                throw new NeuronKernelException("gpt2 has no grouped-query attention: kv heads must equal the "
                        + numHeads + " heads, got " + numKvHeads);
            }
            if (ropeScaling != RopeScalingType.NONE) {
                throw new NeuronKernelException("gpt2 has no rotary embeddings: rope scaling must be none, got "
                        + ropeScaling.name().toLowerCase(Locale.ROOT));
            }
            if (headDim != 0 && headDim != hiddenSize / numHeads) {
                throw new NeuronKernelException("gpt2 has no head_dim setting: heads are hidden / heads wide");
            }
        } else {
            if (numHeads % numKvHeads != 0) {
                throw new NeuronKernelException(numHeads + " heads is not a multiple of " + numKvHeads
                        + " kv heads");
            }
            if (effectiveHeadDim() % 2 != 0) {
                throw new NeuronKernelException("head dim " + effectiveHeadDim() + " must be even for rotary embeddings");
            }
            if (architecture == Architecture.PHI3 && effectiveHeadDim() % 4 != 0) {
                // The tiny Phi-3 rotates half of each head: that half must be even too.
                throw new NeuronKernelException("head dim " + effectiveHeadDim() + " must be a multiple of 4 for phi3");
            }
            if (ropeScaling == RopeScalingType.LLAMA3 && architecture != Architecture.LLAMA) {
                throw new NeuronKernelException("llama3 rope scaling is for llama; use none or linear");
            }
        }
        int tensors = TinyWeights.layout(this).size();
        if (shards > tensors) {
            throw new NeuronKernelException(shards + " shards is more than the " + tensors + " tensors of the model");
        }
        return this;
    }

    /** Number of weights written (lm_head counted only when untied, as transformers counts). */
    public long parameterCount() {
        long n = 0;
        for (TinyWeights.Plan p : TinyWeights.layout(this)) {
            n += p.count();
        }
        return n;
    }

    private static void positive(String what, int v) {
        if (v <= 0) {
            throw new NeuronKernelException(what + " must be positive, got " + v);
        }
    }
}
