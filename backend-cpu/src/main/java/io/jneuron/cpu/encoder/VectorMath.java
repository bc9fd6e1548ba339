package io.jneuron.cpu.encoder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise encoder math on whole vectors: GELU (erf and tanh forms, the same formulas as {@link Gelu}
 * in fp32 with the JDK's vector exp/tanh) and LayerNorm. Vector API only; see {@link EncoderGemm}.
 */
final class VectorMath {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    private static final float INV_SQRT2 = (float) (1 / Math.sqrt(2));
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

    private VectorMath() {
    }

    /**
     * The activation of {@code a[from .. from+n)} in place, n a multiple of the vector length. One loop in one
     * method, so the math inlines into it and no vector is boxed.
     */
    static void activate(float[] a, int from, int n, EncoderGemm.Epilogue epi) {
        if (epi == EncoderGemm.Epilogue.GELU) {
            gelu(a, from, n);
            return;
        }
        for (int i = from; i < from + n; i += L) {
            FloatVector x = FloatVector.fromArray(F, a, i);
            x = switch (epi) {
                case GELU_TANH -> geluTanh(x);
                case RELU -> x.max(0f);
                default -> x;
            };
            x.intoArray(a, i);
        }
    }

    /**
     * {@code x/2 (1 + erf(x / sqrt 2))} in place, with erf from {@link Gelu#erf}'s erfc fit
     * ({@code t exp(-z^2 + P(t))}) in fp32 and the JDK's vector exp: within ~3e-7 |x| of exact. Written out in
     * the loop body: as a method taking and returning vectors it is too big for C2 to inline, and the boxed
     * vectors made it 7x slower (measured); a hand-written exp with integer exponent bits was 8x slower too.
     */
    static void gelu(float[] a, int from, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int i = from; i < from + n; i += L) {
            FloatVector x = FloatVector.fromArray(F, a, i);
            FloatVector u = x.mul(INV_SQRT2);
            FloatVector z = u.abs();
            FloatVector t = one.div(z.fma(FloatVector.broadcast(F, 0.5f), one));
            FloatVector p = t.mul(0.17087277f).add(-0.82215223f);
            p = p.mul(t).add(1.48851587f);
            p = p.mul(t).add(-1.13520398f);
            p = p.mul(t).add(0.27886807f);
            p = p.mul(t).add(-0.18628806f);
            p = p.mul(t).add(0.09678418f);
            p = p.mul(t).add(0.37409196f);
            p = p.mul(t).add(1.00002368f);
            p = p.mul(t).add(-1.26551223f);
            FloatVector erfc = t.mul(z.mul(z).neg().add(p).lanewise(VectorOperators.EXP));
            FloatVector erfAbs = one.sub(erfc);
            FloatVector erf = erfAbs.blend(erfAbs.neg(), u.lt(0f));
            x.mul(0.5f).mul(erf.add(1f)).intoArray(a, i);
        }
    }

    /** {@code x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
    static FloatVector geluTanh(FloatVector x) {
        FloatVector inner = x.mul(x).mul(x).mul(0.044715f).add(x).mul(SQRT_2_OVER_PI);
        return x.mul(0.5f).mul(inner.lanewise(VectorOperators.TANH).add(1f));
    }

    /**
     * {@code dst[d .. d+h) = LN(src[s .. s+h))} (statistics in double, like {@link EncoderHeads#norm}); src and dst
     * may be the same row.
     */
    static void layerNorm(float[] src, int s, float[] dst, int d, int h, EncoderWeights.Norm norm, double eps) {
        int i = 0;
        FloatVector acc = FloatVector.zero(F);
        for (; i + L <= h; i += L) {
            acc = acc.add(FloatVector.fromArray(F, src, s + i));
        }
        double mean = acc.reduceLanes(VectorOperators.ADD);
        for (; i < h; i++) {
            mean += src[s + i];
        }
        mean /= h;
        float m = (float) mean;
        FloatVector sq = FloatVector.zero(F);
        i = 0;
        for (; i + L <= h; i += L) {
            FloatVector c = FloatVector.fromArray(F, src, s + i).sub(m);
            sq = c.fma(c, sq);
        }
        double var = sq.reduceLanes(VectorOperators.ADD);
        for (; i < h; i++) {
            double c = src[s + i] - mean;
            var += c * c;
        }
        float inv = (float) (1.0 / Math.sqrt(var / h + eps));
        float[] g = norm.weight();
        float[] b = norm.bias();
        i = 0;
        for (; i + L <= h; i += L) {
            FloatVector.fromArray(F, src, s + i).sub(m).mul(inv)
                    .fma(FloatVector.fromArray(F, g, i), FloatVector.fromArray(F, b, i)).intoArray(dst, d + i);
        }
        for (; i < h; i++) {
            dst[d + i] = (src[s + i] - m) * inv * g[i] + b[i];
        }
    }
}
