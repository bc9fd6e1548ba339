package io.jneuron.core.cache.internal;

import io.jneuron.core.cache.OptimumCompat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a {@code config.json} map into the dict transformers and optimum-neuron hash: whitelisted keys
 * removed and {@code id2label} keys as ints (see {@link OptimumCompat#INT_KEYED_MAP}). Also Python's
 * {@code ==} on JSON values, for lookup's config comparison.
 */
public final class ConfigDiff {
    private ConfigDiff() {
    }

    /** A copy of {@code config} without the {@code whiteList} keys, in the transformers view. */
    public static Map<Object, Object> diff(Map<?, ?> config, List<String> whiteList) {
        Map<Object, Object> out = new LinkedHashMap<>(config);
        out.keySet().removeAll(whiteList);
        return transformersView(out);
    }

    /** Int keys for every {@code id2label}-named map whose keys are all decimal integers, at any depth. */
    @SuppressWarnings("unchecked")
    public static <T> T transformersView(T value) {
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object v = e.getValue();
                if (OptimumCompat.INT_KEYED_MAP.equals(e.getKey()) && v instanceof Map<?, ?> labels && allIntKeys(labels)) {
                    Map<Object, Object> ints = new LinkedHashMap<>();
                    labels.forEach((k, x) -> ints.put(toInt(k), transformersView(x)));
                    out.put(e.getKey(), ints);
                } else {
                    out.put(e.getKey(), transformersView(v));
                }
            }
            return (T) out;
        }
        if (value instanceof List<?> l) {
            return (T) l.stream().map(ConfigDiff::transformersView).collect(Collectors.toCollection(ArrayList::new));
        }
        return value;
    }

    /** True when {@code value} holds a map with int keys somewhere (its string-keyed reading is then a second candidate). */
    public static boolean hasIntKeys(Object value) {
        if (value instanceof Map<?, ?> m) {
            return m.entrySet().stream().anyMatch(e -> !(e.getKey() instanceof String) || hasIntKeys(e.getValue()));
        }
        return value instanceof List<?> l && l.stream().anyMatch(ConfigDiff::hasIntKeys);
    }

    private static boolean allIntKeys(Map<?, ?> m) {
        // A key that is not an int string: transformers' int(key) would raise, so the map stays as it is.
        return !m.isEmpty() && m.keySet().stream().allMatch(k -> k instanceof String s && s.matches("[-+]?\\d{1,18}"));
    }

    private static Object toInt(Object k) {
        return Long.parseLong((String) k); // like Python's int("007") == 7, rendered back as "7"
    }

    /** Python's {@code a == b} for JSON values: 1 == 1.0 == True, int and str keys differ, NaN != NaN. */
    public static boolean pyEquals(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (isNumeric(a) && isNumeric(b)) {
            return numericEquals(a, b);
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !pyEquals(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Collection<?> x && b instanceof Collection<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> i = y.iterator();
            for (Object v : x) {
                if (!pyEquals(v, i.next())) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static boolean isNumeric(Object v) {
        return v instanceof Number || v instanceof Boolean;
    }

    private static boolean numericEquals(Object a, Object b) {
        BigDecimal x = toDecimal(a);
        BigDecimal y = toDecimal(b);
        return x != null && y != null ? x.compareTo(y) == 0 : doubleOf(a) == doubleOf(b);
    }

    /** Exact value, or null for NaN and infinities (compared as doubles instead). */
    private static BigDecimal toDecimal(Object v) {
        if (v instanceof Boolean bool) {
            return bool ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        if (v instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? new BigDecimal(d) : null;
        }
        return BigDecimal.valueOf(((Number) v).longValue());
    }

    private static double doubleOf(Object v) {
        return v instanceof Boolean bool ? (bool ? 1 : 0) : ((Number) v).doubleValue();
    }

    /** Deep, order-keeping, unmodifiable copy; values are assumed already to be JSON values. */
    public static Object freeze(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            m.forEach((k, x) -> copy.put(k, freeze(x)));
            return Collections.unmodifiableMap(copy);
        }
        if (v instanceof List<?> l) {
            return Collections.unmodifiableList(l.stream().map(ConfigDiff::freeze).collect(Collectors.toList()));
        }
        return v;
    }
}
