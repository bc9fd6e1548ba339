package io.jneuron.kernel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands a magic's result to the Java of {@code var rows = %magic ...}: the kernel runs the magic, parks the
 * result here under a key, then evaluates {@code var rows = (TYPE) MagicValues.take(key);}. Public because
 * snippet classes call it.
 */
public final class MagicValues {
    private static final Map<String, Object> VALUES = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT = new AtomicLong();

    private MagicValues() {
    }

    static String put(Object value) {
        String key = "v" + NEXT.incrementAndGet();
        VALUES.put(key, value);
        return key;
    }

    public static Object take(String key) {
        return VALUES.remove(key);
    }

    static void clear() {
        VALUES.clear();
    }
}
