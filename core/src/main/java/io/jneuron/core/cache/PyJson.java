package io.jneuron.core.cache;

import io.jneuron.core.cache.internal.FloatRepr;
import io.jneuron.core.cache.internal.PyJsonParser;
import io.jneuron.core.cache.internal.PyJsonWriter;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Python-compatible JSON: {@link #dumps} produces exactly the bytes of CPython's {@code json.dumps}
 * for the three forms optimum-neuron hashes, and {@link #parse} reads JSON into the values Python
 * would hold, keeping ints and floats apart.
 *
 * <p>Values are {@code Map} (str keys, or integral keys where transformers holds ints, e.g.
 * {@code id2label}), {@code List}, {@code String}, {@code Boolean}, {@code Long}/{@code Integer}/
 * {@code BigInteger} (Python int), {@code Double} (Python float) and {@code null}. Parsed maps keep
 * the file's key order, which the unsorted form needs to reproduce old entries. Thread-safe.
 */
public final class PyJson {
    /** Deepest nesting {@link #parse} accepts; real configs nest fewer than 10 levels. */
    public static final int MAX_DEPTH = 128;

    /** The serialisations optimum-neuron hashes (spec §2.3-2.5). */
    public enum Style {
        /** {@code json.dumps(obj)}: insertion order, {@code ", "} and {@code ": "}. Entries of v0.0.18-v0.0.20. */
        COMPACT(false, null, true),
        /** {@code json.dumps(obj, sort_keys=True)}: entries of v0.0.21-v0.1.x, arch digests. */
        COMPACT_SORTED(true, null, true),
        /** {@code json.dumps(obj, indent=2, sort_keys=True)}: entries of v0.2.0 and later. No trailing newline. */
        INDENT2_SORTED(true, "  ", true),
        /** {@code json.dumps(obj, indent=2)}: insertion order, for output people read (CLI {@code --format json}). */
        INDENT2(false, "  ", true),
        /** {@code json.dumps(obj, ensure_ascii=False)}: transformers' {@code tojson} filter in chat templates. */
        COMPACT_UNICODE(false, null, false);

        private final PyJsonWriter writer;

        Style(boolean sortKeys, String indent, boolean ensureAscii) {
            this.writer = new PyJsonWriter(sortKeys, indent, ensureAscii);
        }
    }

    private PyJson() {
    }

    /**
     * Serialises {@code value} as Python would.
     *
     * @throws IllegalArgumentException for a value Python's json would refuse (an unknown type, or
     *     str and int keys mixed in one sorted map), naming the value
     */
    public static String dumps(Object value, Style style) {
        return style.writer.write(value);
    }

    /** Python's {@code repr(float)}, e.g. {@code 1e-05}, {@code 500000.0}, {@code 1e+16}, {@code -0.0}. */
    public static String floatRepr(double d) {
        return Double.isNaN(d) ? "nan" : Double.isInfinite(d) ? (d > 0 ? "inf" : "-inf") : FloatRepr.repr(d);
    }

    /**
     * Parses JSON text as {@code json.loads} would.
     *
     * @param source names the input in error messages (a file path, {@code "<stdin>"})
     * @throws CacheException for malformed JSON, nesting deeper than {@link #MAX_DEPTH} or an int longer
     *     than Python accepts; the message has the source, line and column
     */
    public static Object parse(String text, String source) {
        try {
            return PyJsonParser.parse(text, MAX_DEPTH);
        } catch (PyJsonParser.Malformed e) {
            throw new CacheException(source + ": malformed JSON: " + e.getMessage()
                    + "; fix or delete the file");
        }
    }

    /** {@link #parse(String, String)} for UTF-8 bytes; invalid UTF-8 is malformed input, never replaced. */
    public static Object parse(byte[] utf8, String source) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            throw new CacheException(source + ": not valid UTF-8; fix or delete the file");
        }
        return parse(text, source);
    }

    /** {@link #parse(byte[], String)} that also requires a top-level object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(byte[] utf8, String source) {
        Object v = parse(utf8, source);
        if (!(v instanceof Map)) {
            throw new CacheException(source + ": expected a JSON object, found "
                    + (v == null ? "null" : v instanceof java.util.List ? "an array" : "a " + typeName(v))
                    + "; fix or delete the file");
        }
        return (Map<String, Object>) v;
    }

    private static String typeName(Object v) {
        return v instanceof String ? "string" : v instanceof Boolean ? "boolean" : "number";
    }
}
