package io.jneuron.core.generate;

import java.util.Arrays;

/**
 * Chooses the next token of each prompt row from its logits, as {@link SamplingParams} says.
 *
 * <p>Greedy: argmax, lowest id on ties, no allocation. Sampling: logits are divided by the
 * temperature, restricted to the top-k (if on), then to the nucleus (if top_p &lt; 1: the smallest
 * most-probable set whose probability, renormalised after top-k, reaches top_p; at least one token),
 * then one token is drawn. Ranking ties always favour the lower id, so top_k=1 or a tiny top_p picks
 * exactly what greedy picks. With top-k the draw walks the candidates best first; without it, it walks
 * the kept tokens in id order (no sort of the vocabulary is ever needed).
 *
 * <p>Reproducibility: each row has its own random stream, SplitMix64 (Steele, Lea and Flood, 2014)
 * started at {@code mix64(seed ^ mix64(row))} with the standard gamma {@code 0x9E3779B97F4A7C15}; a
 * draw is {@code (next >>> 11) * 2^-53}, one draw per sampled token. Weights use
 * {@link DeterministicExp}, plain IEEE arithmetic (strict in Java 17) and fixed summation orders. So
 * for the same seed and logits the tokens are identical on every JVM and platform, and a row's tokens
 * do not depend on which other rows share its batch or when they stop. Rows are the request's row
 * indices.
 *
 * <p>Cost for a 32000 vocabulary: greedy one pass; top-k a bounded-heap selection (mostly one float
 * compare per token); without top-k one exp per token and two more cheap passes, sorting only the
 * tokens at the nucleus boundary. Not thread-safe:
 * scratch buffers are reused, so sampling allocates only when the vocabulary grows.
 */
public final class Sampler {
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    /** Histogram resolution for finding the nucleus boundary without sorting. */
    private static final int BINS = 1024;

    private final SamplingParams params;
    private final long[] state;
    private long[] keys = new long[0];
    private double[] weights = new double[0];
    private final double[] binMass = new double[BINS];
    private short[] binOf = new short[0];

    /** A sampler for rows {@code 0..rows-1}. */
    public Sampler(SamplingParams params, int rows) {
        this.params = params;
        this.state = new long[rows];
        for (int r = 0; r < rows; r++) {
            state[r] = mix64(params.seed() ^ mix64(r));
        }
    }

    public SamplingParams params() {
        return params;
    }

    /** The token for {@code row} given its {@code logits} (one entry per vocabulary id). */
    public int sample(int row, float[] logits) {
        int vocab = logits.length;
        int k = params.topK() == 0 ? vocab : Math.min(params.topK(), vocab);
        if (params.greedy() || k == 1) {
            return argmax(logits);
        }
        double scale = 1.0 / params.temperature();
        if (k < vocab) {
            return sampleTopK(row, logits, k, scale);
        }
        int best = argmax(logits);
        float max = logits[best];
        if (max != max || Float.isInfinite(max)) {
            return best; // no finite weights to draw from: argmax's convention
        }
        return params.topP() >= 1.0 ? sampleAll(row, logits, max, scale) : sampleNucleus(row, logits, max, scale);
    }

    /** Index of the largest logit; the lowest such id on ties; NaN never wins; 0 if all are NaN. */
    public static int argmax(float[] logits) {
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] > bestValue) {
                bestValue = logits[i];
                best = i;
            }
        }
        return best;
    }

    private int sampleTopK(int row, float[] logits, int k, double scale) {
        ensure(k, k);
        int n = TopSelection.select(logits, k, keys);
        float max = TopSelection.logit(keys[0]);
        if (Float.isInfinite(max)) {
            return TopSelection.id(keys[0]);
        }
        double mass = 0;
        for (int j = 0; j < n; j++) {
            weights[j] = weight(TopSelection.logit(keys[j]), max, scale);
            mass += weights[j];
        }
        double target = params.topP() * mass;
        double total = 0;
        for (int j = 0; j < n; j++) {
            total += weights[j];
            if (total >= target) {
                n = j + 1; // the nucleus: the most likely prefix reaching top_p, never empty
                break;
            }
        }
        double u = nextDouble(row) * total;
        double cum = 0;
        for (int j = 0; j < n; j++) {
            cum += weights[j];
            if (u < cum) {
                return TopSelection.id(keys[j]);
            }
        }
        return TopSelection.id(keys[0]); // unreachable: u < total, summed in the same order
    }

    /** No top-k, no top-p: the whole vocabulary, drawn in id order. */
    private int sampleAll(int row, float[] logits, float max, double scale) {
        int vocab = logits.length;
        ensure(vocab, vocab);
        double total = 0;
        for (int i = 0; i < vocab; i++) {
            weights[i] = weight(logits[i], max, scale);
            total += weights[i];
        }
        double u = nextDouble(row) * total;
        double cum = 0;
        int last = 0;
        for (int i = 0; i < vocab; i++) {
            if (weights[i] > 0) {
                cum += weights[i];
                last = i;
                if (u < cum) {
                    return i;
                }
            }
        }
        return last; // unreachable: u < total, summed in the same order
    }

    /**
     * No top-k, top-p &lt; 1: finds the nucleus without sorting the vocabulary. Tokens are binned by
     * scaled distance below the best logit (a monotone map, so lower bins hold likelier tokens); the
     * bins' masses locate the bin where the running mass reaches top_p, and only that bin is sorted.
     * Tokens further than {@code limit} below the best never reach the nucleus and are not binned:
     * together they weigh at most {@code vocab * e^-limit = 1 - top_p}, at most (1 - top_p) of the total
     * since the best token alone weighs 1. The draw then walks the nucleus in id order.
     */
    private int sampleNucleus(int row, float[] logits, float max, double scale) {
        int vocab = logits.length;
        ensure(vocab, vocab);
        double limit = StrictMath.log(vocab / (1 - params.topP()));
        double perUnit = BINS / limit;
        Arrays.fill(binMass, 0);
        double total = 0;
        for (int i = 0; i < vocab; i++) {
            double d = ((double) max - logits[i]) * scale; // NaN for a NaN logit: weight 0, not binned
            double w = d == d ? DeterministicExp.exp(-d) : 0.0;
            weights[i] = w;
            total += w;
            int b = d < limit ? Math.min((int) (d * perUnit), BINS - 1) : BINS;
            binOf[i] = (short) b;
            if (b < BINS) {
                binMass[b] += w;
            }
        }
        double target = params.topP() * total;
        double cum = 0;
        int boundary = -1;
        for (int b = 0; b < BINS && boundary < 0; b++) {
            if (cum + binMass[b] >= target) {
                boundary = b;
            } else {
                cum += binMass[b];
            }
        }
        int n = 0;
        for (int i = 0; boundary >= 0 && i < vocab; i++) {
            if (binOf[i] == boundary && weights[i] > 0) {
                keys[n++] = TopSelection.key(logits[i], i);
            }
        }
        Arrays.sort(keys, 0, n);
        long cut = Long.MIN_VALUE; // no boundary bin (rounding left the bins short): keep every token
        double mass = total;
        for (int j = n - 1; j >= 0; j--) {
            cum += weights[TopSelection.id(keys[j])];
            cut = keys[j]; // if rounding never reaches the target, the whole boundary bin is kept
            mass = cum;
            if (cum >= target) {
                break;
            }
        }
        // Draw over tokens ranked at or above the cut: logit above it, or equal with an id not above.
        boolean all = cut == Long.MIN_VALUE;
        float cutLogit = TopSelection.logit(cut);
        int cutId = TopSelection.id(cut);
        double u = nextDouble(row) * mass;
        double sum = 0;
        int last = all ? 0 : cutId;
        for (int i = 0; i < vocab; i++) {
            float l = logits[i];
            if (weights[i] > 0 && (all || l > cutLogit || (l == cutLogit && i <= cutId))) {
                sum += weights[i];
                last = i;
                if (u < sum) {
                    return i;
                }
            }
        }
        return last; // mass was summed in rank order, this walk is in id order: rounding may end here
    }

    private static double weight(float logit, float max, double scale) {
        // (logit - max) <= 0, so exp never overflows and the best token weighs exactly 1.
        return logit != logit ? 0.0 : DeterministicExp.exp(((double) logit - max) * scale);
    }

    private void ensure(int keyCount, int weightCount) {
        if (keys.length < keyCount) {
            keys = new long[keyCount];
        }
        if (weights.length < weightCount) {
            weights = new double[weightCount];
            binOf = new short[weightCount];
        }
    }

    /** The next uniform double in [0, 1) of {@code row}'s stream. */
    double nextDouble(int row) {
        long s = state[row] + GAMMA;
        state[row] = s;
        return (mix64(s) >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finaliser (Stafford's variant 13). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
