package io.jneuron.core.cache.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.loads} in Java: keeps int and float apart (an int is a {@link Long} or, when
 * it does not fit, a {@link BigInteger}; a float is a {@link Double}), accepts {@code NaN},
 * {@code Infinity} and {@code -Infinity}, keeps key order (a repeated key keeps its first position and
 * its last value, like a Python dict) and refuses control characters inside strings ({@code strict}).
 *
 * <p>Input is untrusted: nesting and number length are bounded so a JSON bomb fails fast with
 * {@link Malformed} instead of a StackOverflowError. One-shot; not thread-safe.
 */
public final class PyJsonParser {
    /** CPython refuses int strings above 4300 digits (sys.int_info.default_max_str_digits). */
    static final int MAX_INT_DIGITS = 4300;
    private static final String[] LITERALS = {"null", "true", "false", "NaN", "Infinity", "-Infinity"};
    private static final Object[] LITERAL_VALUES = {null, Boolean.TRUE, Boolean.FALSE, Double.NaN,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};

    private final String s;
    private final int maxDepth;
    private int pos;

    /** Thrown for input Python would refuse, or that exceeds our bounds; the message has line and column. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    private PyJsonParser(String s, int maxDepth) {
        this.s = s;
        this.maxDepth = maxDepth;
    }

    public static Object parse(String text, int maxDepth) throws Malformed {
        PyJsonParser p = new PyJsonParser(text, maxDepth);
        p.skipWhitespace();
        Object v = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("extra data after the JSON value");
        }
        return v;
    }

    private Object value(int depth) throws Malformed {
        if (pos >= s.length()) {
            throw error("expecting a value, found the end of the input");
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            default:
                break;
        }
        for (int i = 0; i < LITERALS.length; i++) {
            if (literal(LITERALS[i])) {
                return LITERAL_VALUES[i];
            }
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        throw error("expecting a value, found '" + printable(c) + "'");
    }

    private Map<String, Object> object(int depth) throws Malformed {
        checkDepth(depth);
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            if (peek() != '"') {
                throw error("expecting a property name in double quotes");
            }
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            map.put(key, value(depth));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                pos--;
                throw error("expecting ',' or '}'");
            }
            skipWhitespace();
        }
    }

    private List<Object> array(int depth) throws Malformed {
        checkDepth(depth);
        pos++;
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            list.add(value(depth));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                pos--;
                throw error("expecting ',' or ']'");
            }
            skipWhitespace();
        }
    }

    private String string() throws Malformed {
        int start = pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= s.length()) {
                pos = start;
                throw error("unterminated string");
            }
            char c = s.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("invalid control character " + printable(c) + " in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= s.length()) {
                throw error("unterminated escape");
            }
            char e = s.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                // Python joins \\ud83d\\ude00 into one code point; a Java String holds the same two units.
                case 'u' -> sb.append(hex4());
                default -> {
                    pos -= 2;
                    throw error("invalid escape \\" + printable(e));
                }
            }
        }
    }

    private char hex4() throws Malformed {
        if (pos + 4 > s.length()) {
            throw error("truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(s.charAt(pos + i), 16);
            if (d < 0) {
                throw error("invalid \\u escape");
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    /** Python's NUMBER_RE: -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?; a fraction or exponent makes a float. */
    private Object number() throws Malformed {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            pos = start;
            throw error("expecting a value");
        }
        int intEnd = pos;
        boolean isFloat = false;
        if (peek() == '.' && pos + 1 < s.length() && isDigit(s.charAt(pos + 1))) {
            pos++;
            digits();
            isFloat = true;
        }
        if ((peek() == 'e' || peek() == 'E')) {
            int save = pos;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (digits()) {
                isFloat = true;
            } else {
                pos = save; // Python leaves "1e" as the int 1 followed by extra data
            }
        }
        String text = s.substring(start, pos);
        if (isFloat) {
            return Double.parseDouble(text); // overflow gives +-Infinity, as Python's float() does
        }
        if (intEnd - start > MAX_INT_DIGITS) {
            pos = start;
            throw error("integer with more than " + MAX_INT_DIGITS + " digits");
        }
        if (text.length() <= 18) {
            return Long.parseLong(text);
        }
        BigInteger big = new BigInteger(text);
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private boolean digits() {
        int start = pos;
        while (pos < s.length() && isDigit(s.charAt(pos))) {
            pos++;
        }
        return pos > start;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private boolean literal(String word) {
        if (s.startsWith(word, pos)) {
            pos += word.length();
            return true;
        }
        return false;
    }

    private void expect(char c) throws Malformed {
        if (peek() != c) {
            throw error("expecting '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private void checkDepth(int depth) throws Malformed {
        if (depth > maxDepth) {
            throw error("nested deeper than " + maxDepth + " levels");
        }
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }

    private Malformed error(String what) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < Math.min(pos, s.length()); i++) {
            if (s.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Malformed(what + " at line " + line + " column " + (pos - lineStart + 1));
    }
}
