package io.jneuron.cpu.encoder;

/** GELU as BERT-family configs name it: {@code gelu} (exact, with erf) and {@code gelu_new} (tanh form). */
final class Gelu {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private Gelu() {
    }

    /** {@code x/2 (1 + erf(x / sqrt 2))}. */
    static float exact(float x) {
        return (float) (0.5 * x * (1 + erf(x / Math.sqrt(2))));
    }

    /** {@code x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}. */
    static float tanh(float x) {
        return (float) (0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))));
    }

    /**
     * erf with an absolute error below 1.2e-7: the Chebyshev fit of erfc (Numerical Recipes' {@code erfcc} form,
     * {@code t exp(-z^2 + P(t))} with {@code t = 1 / (1 + z/2)}), which the JDK lacks.
     */
    static double erf(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - erfc : erfc - 1;
    }
}
