package io.jneuron.core.cache.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code repr(float)}: the shortest decimal that reads back as the same double, the nearest
 * to it when several are equally short, printed in fixed notation when the decimal exponent is in
 * [-4, 16) and as {@code 1.5e+16} / {@code 1e-05} otherwise.
 *
 * <p>Java 17's {@code Double.toString} is not shortest for every value (JDK-4511638) and Java 19's
 * Schubfach picks two digits where Python picks one ({@code 4.9E-324} vs {@code 5e-324}), so neither
 * is used; the digits come from exact {@link BigDecimal} arithmetic instead.
 */
public final class FloatRepr {
    /** A double never needs more than 17 significant digits to round-trip. */
    private static final int MAX_DIGITS = 17;

    private FloatRepr() {
    }

    /** {@code repr(d)} for a finite double; {@code nan}/{@code inf} are the caller's business (JSON spells them differently). */
    public static String repr(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("not a finite double: " + d);
        }
        if (d == 0.0) {
            return Double.doubleToRawLongBits(d) < 0 ? "-0.0" : "0.0";
        }
        double a = Math.abs(d);
        BigDecimal digits = shortest(a);
        String text = format(digits.unscaledValue().toString(), digits.precision() - digits.scale());
        return d < 0 ? "-" + text : text;
    }

    /** The shortest decimal that parses back to {@code a} (> 0), trailing zeros stripped. */
    private static BigDecimal shortest(double a) {
        BigDecimal exact = new BigDecimal(a);
        for (int p = 1; p <= MAX_DIGITS; p++) {
            // The two p-digit neighbours of the exact value; either, both or neither may round-trip
            // (the rounding interval is lopsided at powers of two, so checking only the nearest is not enough).
            BigDecimal down = exact.round(new MathContext(p, RoundingMode.DOWN));
            BigDecimal up = exact.round(new MathContext(p, RoundingMode.UP));
            boolean downOk = down.doubleValue() == a;
            boolean upOk = up.doubleValue() == a;
            if (downOk && upOk) {
                int cmp = exact.subtract(down).compareTo(up.subtract(exact));
                BigDecimal pick = cmp < 0 ? down : cmp > 0 ? up : evenLastDigit(down, up);
                return pick.stripTrailingZeros();
            }
            if (downOk) {
                return down.stripTrailingZeros();
            }
            if (upOk) {
                return up.stripTrailingZeros();
            }
        }
        throw new IllegalStateException("no round-trip decimal within 17 digits for " + a);
    }

    private static BigDecimal evenLastDigit(BigDecimal down, BigDecimal up) {
        return down.unscaledValue().testBit(0) ? up : down;
    }

    /**
     * Lays out {@code 0.digits x 10^decpt} the way CPython's {@code float_repr_style == 'short'} does:
     * exponent form when decpt <= -4 or decpt > 16, a sign and at least two exponent digits, and
     * {@code .0} appended to integral fixed-notation values.
     */
    static String format(String digits, int decpt) {
        int n = digits.length();
        if (decpt <= -4 || decpt > 16) {
            int exp = decpt - 1;
            StringBuilder sb = new StringBuilder(n + 6).append(digits.charAt(0));
            if (n > 1) {
                sb.append('.').append(digits, 1, n);
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int abs = Math.abs(exp);
            if (abs < 10) {
                sb.append('0');
            }
            return sb.append(abs).toString();
        }
        if (decpt <= 0) {
            return "0." + "0".repeat(-decpt) + digits;
        }
        if (decpt < n) {
            return digits.substring(0, decpt) + "." + digits.substring(decpt);
        }
        return digits + "0".repeat(decpt - n) + ".0";
    }
}
