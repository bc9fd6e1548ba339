package io.jneuron.cpu.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code e^x} on whole fp32 vectors from plain arithmetic (fma, add, mul, an integer shift), within 2 ulp of
 * the exact value. Unlike {@code lanewise(EXP)} it gives the same bits interpreted, in C1 and in C2 (the
 * JDK's EXP switches from a scalar {@code Math.exp} fallback to an SVML-like stub once compiled), and it
 * stays cheap on JDK 17. Small enough for C2 to inline into the caller's loop, so no vector is boxed.
 *
 * <p>Method (Cody-Waite, as in Cephes' expf): {@code x = n ln2 + r} with n rounded to the nearest integer by
 * the 1.5 x 2^23 addition trick (n is then the low bits of the sum), |r| <= ln2/2, a degree-5 fit of
 * {@code (e^r - 1 - r) / r^2}, and {@code 2^n} built in the exponent bits.
 */
public final class VectorExp {
    /** Inputs below this give 0 (e^x would be subnormal): softmax's masked -inf lanes become exactly 0. */
    private static final float LOW = -87.33654f;
    /** Inputs above this are clamped (e^88 = 1.65e38, finite): n stays <= 127. */
    private static final float HIGH = 88f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float ROUND = 0x1.8p23f;
    private static final int ROUND_BITS = 0x4B400000;
    /** ln 2 split so that n * LN2_HI is exact for |n| <= 128. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;

    private VectorExp() {
    }

    public static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(LOW).min(HIGH);
        FloatVector t = c.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(x.species(), -LN2_HI), c);
        r = n.fma(FloatVector.broadcast(x.species(), -LN2_LO), r);
        FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
        p = p.fma(r, FloatVector.broadcast(x.species(), 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(x.species(), 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(x.species(), 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(x.species(), 5.0000001201e-1f));
        p = p.mul(r.mul(r)).add(r).add(1f);
        IntVector bits = t.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats()).blend(0f, x.lt(LOW));
    }
}
