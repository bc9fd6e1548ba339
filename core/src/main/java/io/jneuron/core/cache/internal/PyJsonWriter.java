package io.jneuron.core.cache.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The byte-exact twin of CPython's {@code json.dumps} with {@code ensure_ascii=True} and
 * {@code allow_nan=True}: compact ({@code ", "}/{@code ": "}) or {@code indent=2} ({@code ","} +
 * newline), keys in insertion order or sorted the way Python sorts them. Stateless and thread-safe.
 *
 * @param indent      null for the single-line form, else the indent unit
 * @param ensureAscii false writes non-ASCII characters as they are, as Python's {@code ensure_ascii=False}
 */
public record PyJsonWriter(boolean sortKeys, String indent, boolean ensureAscii) {
    public String write(Object value) {
        StringBuilder sb = new StringBuilder(256);
        value(sb, value, 0);
        return sb.toString();
    }

    private void value(StringBuilder sb, Object v, int level) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (isInteger(v)) {
            sb.append(v);
        } else if (v instanceof Double || v instanceof Float) {
            sb.append(floatText(((Number) v).doubleValue()));
        } else if (v instanceof Map<?, ?> m) {
            map(sb, m, level);
        } else if (v instanceof Collection<?> c) {
            list(sb, c, level);
        } else {
            // Python raises TypeError("Object of type X is not JSON serializable"); so do we, by type.
            throw new IllegalArgumentException("a " + v.getClass().getName()
                    + " is not a Python JSON value; use Map, List, String, Boolean, Long/BigInteger, Double or null");
        }
    }

    private static String floatText(double d) {
        return Double.isNaN(d) ? "NaN" : Double.isInfinite(d) ? (d > 0 ? "Infinity" : "-Infinity") : FloatRepr.repr(d);
    }

    static boolean isInteger(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof BigInteger || v instanceof Short
                || v instanceof Byte;
    }

    private void list(StringBuilder sb, Collection<?> c, int level) {
        if (c.isEmpty()) {
            sb.append("[]");
            return;
        }
        sb.append('[');
        boolean first = true;
        for (Object item : c) {
            separator(sb, first, level + 1);
            first = false;
            value(sb, item, level + 1);
        }
        close(sb, level, ']');
    }

    private void map(StringBuilder sb, Map<?, ?> m, int level) {
        if (m.isEmpty()) {
            sb.append("{}");
            return;
        }
        List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
        if (sortKeys) {
            entries.sort(Comparator.comparing(Map.Entry::getKey, PyJsonWriter::compareKeys));
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : entries) {
            separator(sb, first, level + 1);
            first = false;
            string(sb, keyText(e.getKey()));
            sb.append(": ");
            value(sb, e.getValue(), level + 1);
        }
        close(sb, level, '}');
    }

    private void separator(StringBuilder sb, boolean first, int level) {
        if (!first) {
            sb.append(indent == null ? ", " : ",");
        }
        if (indent != null) {
            sb.append('\n').append(indent.repeat(level));
        }
    }

    private void close(StringBuilder sb, int level, char bracket) {
        if (indent != null) {
            sb.append('\n').append(indent.repeat(level));
        }
        sb.append(bracket);
    }

    /** Python renders int keys with str(); other key types are refused as Python would refuse them. */
    private static String keyText(Object key) {
        if (key instanceof String || isInteger(key)) {
            return key.toString();
        }
        throw new IllegalArgumentException("map key " + key + " ("
                + (key == null ? "null" : key.getClass().getName()) + ") is not a str or int key");
    }

    /**
     * Python's {@code sorted()} over dict keys: str by code point (not UTF-16 unit, which differs above
     * the BMP), int numerically; mixing the two is a TypeError in Python, so it is an error here.
     */
    static int compareKeys(Object a, Object b) {
        if (a instanceof String x && b instanceof String y) {
            return compareCodePoints(x, y);
        }
        if (isInteger(a) && isInteger(b)) {
            return toBig(a).compareTo(toBig(b));
        }
        throw new IllegalArgumentException("cannot sort keys " + a + " and " + b
                + ": Python refuses to order str and int keys (TypeError)");
    }

    private static BigInteger toBig(Object n) {
        return n instanceof BigInteger b ? b : BigInteger.valueOf(((Number) n).longValue());
    }

    public static int compareCodePoints(String x, String y) {
        int i = 0;
        int j = 0;
        while (i < x.length() && j < y.length()) {
            int cx = x.codePointAt(i);
            int cy = y.codePointAt(j);
            if (cx != cy) {
                return Integer.compare(cx, cy);
            }
            i += Character.charCount(cx);
            j += Character.charCount(cy);
        }
        return Boolean.compare(i < x.length(), j < y.length());
    }

    /**
     * {@code ensure_ascii}: printable ASCII as is, short escapes, everything else as UTF-16 {@code \\uxxxx}.
     * Without it, only control characters are escaped.
     */
    private void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c >= 0x20 && (c <= 0x7e || !ensureAscii)) {
                        sb.append(c);
                    } else {
                        // Chars are UTF-16 units, so a code point above the BMP comes out as its surrogate pair.
                        sb.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
}
