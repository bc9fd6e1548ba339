package io.jneuron.core.generate;

/**
 * e^x for x &lt;= 0, bit-identical on every JVM and CPU, within about 3e-15 relative of the true value.
 * {@link Math#exp} is fast but may differ by an ulp between platforms, which would make seeded
 * sampling platform-dependent; {@link StrictMath#exp} is reproducible but slow on JDK 17 (a native
 * call per value). This uses only IEEE double arithmetic (always strict since Java 17) and a table
 * built with {@link StrictMath}: x = (32m + j) ln2/32 + r with |r| &lt;= ln2/64, so
 * e^x = 2^m * 2^(j/32) * e^r, and e^r is a degree-5 polynomial (Tang's table-driven method).
 */
final class DeterministicExp {
    private static final int STEPS = 32;
    private static final double STEPS_OVER_LN2 = STEPS / 0.6931471805599453;
    /** ln2/32 split so that {@code k * HI} is exact for every k used here (Cody and Waite). */
    private static final double HI = 6.93147180369123816490e-01 / STEPS;
    private static final double LO = 1.90821492927058770002e-10 / STEPS;
    private static final double[] TWO_TO_J_OVER_32 = new double[STEPS];

    static {
        for (int j = 0; j < STEPS; j++) {
            TWO_TO_J_OVER_32[j] = StrictMath.pow(2.0, j / (double) STEPS);
        }
    }

    private DeterministicExp() {
    }

    /** e^x for x &lt;= 0; 0 below -700 and for -infinity or NaN. */
    static double exp(double x) {
        if (!(x >= -700)) {
            return 0.0;
        }
        double kd = Math.rint(x * STEPS_OVER_LN2);
        int k = (int) kd;
        double r = (x - kd * HI) - kd * LO;
        double p = 1 + r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120)))));
        // k >> 5 floors, k & 31 is the matching non-negative remainder; 2^m stays a normal double.
        return TWO_TO_J_OVER_32[k & (STEPS - 1)] * p * Double.longBitsToDouble((long) ((k >> 5) + 1023) << 52);
    }
}
