package io.jneuron.cpu.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteOrder;

/**
 * {@code e^x} over a run of a float array, on whole vectors, within 2 ulp of {@code Math.exp} for x in
 * [-87.3, 88] (inputs below give e^-87.3 ~ 1.2e-38, above e^88). Plain arithmetic (fma, mul, add, an integer
 * shift), so the bits are the same interpreted, in C1 and in C2, unlike the Vector API's EXP.
 *
 * <p>Method (Cody-Waite, as in Cephes' expf): {@code x = n ln2 + r} with n rounded to the nearest integer by
 * the 1.5 x 2^23 addition trick (n is then the low bits of the sum), |r| <= ln2/2, a degree-5 fit of
 * {@code (e^r - 1 - r) / r^2}, and {@code 2^n} built in the exponent bits.
 *
 * <p>Why array in, array out, and a 64-byte round trip through memory for the float-to-int step: on JDK 17,
 * C2 keeps a Vector API operation intrinsic only when it knows the vector's exact class, which it does for
 * vectors loaded here from arrays, not for vectors passed in by a caller it did not inline, or converted with
 * {@code reinterpretAsInts}/{@code convertShape} (measured with JFR: those compiles ran boxed, ~1.5 MB of
 * garbage per decoded token). The store and reload of one vector is forwarded in the store buffer.
 */
final class VectorExp {
    private static final VectorSpecies<Float> F = VectorKernels.F;
    private static final VectorSpecies<Integer> I = VectorKernels.I;
    private static final int L = VectorKernels.L;
    private static final float LOW = -87.33654f;
    private static final float HIGH = 88f;
    private static final float LOG2E = 1.44269504088896341f;
    private static final float ROUND = 0x1.8p23f;
    private static final int ROUND_BITS = 0x4B400000;
    /** ln 2 split so that n * LN2_HI is exact for |n| <= 128. */
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final ThreadLocal<byte[]> BITS = ThreadLocal.withInitial(() -> new byte[4 * L]);
    /**
     * JDK 20+ removed the byte-array loads and stores (NoSuchMethodError on Temurin 25), so there the bits
     * come from {@code reinterpretAsInts}, the same bits (Temurin 25, JFR: a generation allocates nothing there in
     * steady state but its logits).
     * The other branch is never linked on such a JDK.
     */
    private static final boolean BYTE_ARRAYS = Runtime.version().feature() < 20;

    private VectorExp() {
    }

    /** {@code a[i] = e^(a[i] - shift)} for i in [from, to); {@code to - from} a multiple of the vector length. */
    static void expShifted(float[] a, int from, int to, float shift) {
        byte[] bits = BYTE_ARRAYS ? BITS.get() : null;
        for (int i = from; i < to; i += L) {
            FloatVector c = FloatVector.fromArray(F, a, i).sub(shift).max(LOW).min(HIGH);
            FloatVector t = c.fma(LOG2E, ROUND);
            FloatVector n = t.sub(ROUND);
            FloatVector r = c.sub(n.mul(LN2_HI)).sub(n.mul(LN2_LO));
            FloatVector p = r.fma(1.9875691500e-4f, 1.3981999507e-3f);
            p = p.fma(r, FloatVector.broadcast(F, 8.3334519073e-3f));
            p = p.fma(r, FloatVector.broadcast(F, 4.1665795894e-2f));
            p = p.fma(r, FloatVector.broadcast(F, 1.6666665459e-1f));
            p = p.fma(r, FloatVector.broadcast(F, 5.0000001201e-1f));
            p = p.fma(r.mul(r), r).add(1f);
            IntVector ti;
            if (BYTE_ARRAYS) {
                t.intoByteArray(bits, 0, ByteOrder.nativeOrder());
                ti = IntVector.fromByteArray(I, bits, 0, ByteOrder.nativeOrder());
            } else {
                ti = t.reinterpretAsInts();
            }
            FloatVector scale = ti.sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            p.mul(scale).intoArray(a, i);
        }
    }
}
