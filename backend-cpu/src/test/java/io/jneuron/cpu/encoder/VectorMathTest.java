package io.jneuron.cpu.encoder;

import io.jneuron.cpu.tensor.Kernels;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vector GELU (erf and tanh forms) against erf's series and tanh evaluated in double. */
class VectorMathTest {
    static float[] grid(float lo, float hi, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * i / (n - 1);
        }
        return v;
    }

    static float[] apply(float[] in, java.util.function.UnaryOperator<FloatVector> f) {
        int l = VectorMath.L;
        float[] out = new float[in.length];
        for (int i = 0; i + l <= in.length; i += l) {
            f.apply(FloatVector.fromArray(VectorMath.F, in, i)).intoArray(out, i);
        }
        return out;
    }

    @Test
    void geluMatchesTheErfFormInDouble() {
        Assumptions.assumeTrue(Kernels.vectorized());
        float[] x = grid(-12f, 12f, 4096 * VectorMath.L);
        float[] y = x.clone();
        VectorMath.gelu(y, 0, y.length);
        float[] yt = apply(x, VectorMath::geluTanh);
        double worst = 0;
        double worstTanh = 0;
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            // erf by its Maclaurin series (|v/sqrt2| < 3) or 1 - tiny beyond: independent of Gelu.erf's fit
            double u = v / Math.sqrt(2);
            double erf;
            if (Math.abs(u) < 3) {
                double term = u;
                double sum = u;
                for (int n = 1; n < 200; n++) {
                    term *= -u * u / n;
                    sum += term / (2 * n + 1);
                }
                erf = 2 / Math.sqrt(Math.PI) * sum;
            } else {
                erf = Math.signum(u) * (1 - Math.exp(-u * u) / (Math.abs(u) * Math.sqrt(Math.PI)));
            }
            double ref = 0.5 * v * (1 + erf);
            worst = Math.max(worst, Math.abs(y[i] - ref));
            double refTanh = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            worstTanh = Math.max(worstTanh, Math.abs(yt[i] - refTanh));
        }
        System.out.printf("vector gelu: max abs error %.2e (erf), %.2e (tanh)%n", worst, worstTanh);
        assertTrue(worst < 5e-6, "erf GELU max abs error " + worst);
        assertTrue(worstTanh < 5e-6, "tanh GELU max abs error " + worstTanh);
    }
}
