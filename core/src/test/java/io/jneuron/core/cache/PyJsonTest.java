package io.jneuron.core.cache;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class PyJsonTest {

    @Test
    void floatReprMatchesPythonForThousandsOfDoubles() {
        String[] lines = Goldens.text("pyjson/floats.txt").split("\n");
        assertTrue(lines.length > 5000, "golden too small: " + lines.length);
        List<String> failures = new ArrayList<>();
        for (String line : lines) {
            int space = line.indexOf(' ');
            double d = Double.longBitsToDouble(Long.parseUnsignedLong(line.substring(0, space), 16));
            String expected = line.substring(space + 1);
            String actual = PyJson.floatRepr(d);
            if (!expected.equals(actual)) {
                failures.add(line.substring(0, space) + ": python " + expected + ", java " + actual);
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())), failures.size() + " mismatches");
    }

    @Test
    void floatReprOfTheSpecExamples() {
        assertEquals("1e-05", PyJson.floatRepr(1e-05));
        assertEquals("0.0001", PyJson.floatRepr(0.0001));
        assertEquals("500000.0", PyJson.floatRepr(500000.0));
        assertEquals("1e+16", PyJson.floatRepr(1e16));
        assertEquals("1000000000000000.0", PyJson.floatRepr(1e15));
        assertEquals("1.2345678901234567e+19", PyJson.floatRepr(1.2345678901234567e19));
        assertEquals("1.0", PyJson.floatRepr(1.0));
        assertEquals("-0.0", PyJson.floatRepr(-0.0));
        assertEquals("5e-324", PyJson.floatRepr(Double.MIN_VALUE));
        assertEquals("2.82879384806159e+17", PyJson.floatRepr(2.82879384806159e17));
        assertEquals("nan", PyJson.floatRepr(Double.NaN));
    }

    @Test
    void everyPythonFormOfRandomValuesIsReproducedByteForByte() {
        String[] lines = Goldens.text("pyjson/values.jsonl").split("\n");
        int n = 0;
        for (String line : lines) {
            List<?> forms = (List<?>) PyJson.parse(line, "values.jsonl:" + (n + 1));
            Object value = PyJson.parse((String) forms.get(0), "case " + n);
            check(n, "json.dumps(v)", (String) forms.get(0), PyJson.dumps(value, PyJson.Style.COMPACT));
            check(n, "sort_keys=True", (String) forms.get(1), PyJson.dumps(value, PyJson.Style.COMPACT_SORTED));
            check(n, "indent=2, sort_keys=True", (String) forms.get(2), PyJson.dumps(value, PyJson.Style.INDENT2_SORTED));
            // Parsing the indented form gives the same value back.
            check(n, "reparse", (String) forms.get(1),
                    PyJson.dumps(PyJson.parse((String) forms.get(2), "case " + n), PyJson.Style.COMPACT_SORTED));
            n++;
        }
        assertEquals(400, n);
    }

    private static void check(int n, String form, String python, String java) {
        if (!python.equals(java)) {
            fail("case " + n + " " + form + ": " + Goldens.diff(python, java));
        }
    }

    @Test
    void intKeysSortNumericallyAndStringKeysByCodePoint() {
        Map<Object, Object> labels = new LinkedHashMap<>();
        for (long i = 11; i >= 0; i--) {
            labels.put(i, "L" + i);
        }
        String sorted = PyJson.dumps(labels, PyJson.Style.COMPACT_SORTED);
        assertTrue(sorted.startsWith("{\"0\": \"L0\", \"1\": \"L1\", \"2\": \"L2\""), sorted);
        assertTrue(sorted.endsWith("\"9\": \"L9\", \"10\": \"L10\", \"11\": \"L11\"}"), sorted);

        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("\uffff", 1);
        keys.put("\ud83d\ude00", 2); // U+1F600 sorts after U+FFFF by code point, before it by UTF-16 unit
        keys.put("a", 3);
        keys.put("_x", 4);
        keys.put("Z", 5);
        assertEquals("{\"Z\": 5, \"_x\": 4, \"a\": 3, \"\\uffff\": 1, \"\\ud83d\\ude00\": 2}",
                PyJson.dumps(keys, PyJson.Style.COMPACT_SORTED));
    }

    @Test
    void indentedFormUsesBareEmptyContainersAndNoTrailingNewline() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("c", List.of(1L, Map.of("x", new ArrayList<>())));
        v.put("b", Map.of());
        v.put("a", null);
        assertEquals("{\n  \"a\": null,\n  \"b\": {},\n  \"c\": [\n    1,\n    {\n      \"x\": []\n    }\n  ]\n}",
                PyJson.dumps(v, PyJson.Style.INDENT2_SORTED));
    }

    @Test
    void parsingKeepsIntsAndFloatsApart() {
        List<?> v = (List<?>) PyJson.parse("[1, 1.0, 1e5, -0, -0.0, 12345678901234567890123, 1E400, NaN, -Infinity]", "t");
        assertEquals(1L, v.get(0));
        assertEquals(1.0, v.get(1));
        assertEquals(100000.0, v.get(2));
        assertEquals(0L, v.get(3));
        assertEquals("-0.0", PyJson.floatRepr((Double) v.get(4)));
        assertEquals(new BigInteger("12345678901234567890123"), v.get(5));
        assertEquals(Double.POSITIVE_INFINITY, v.get(6));
        assertInstanceOf(Double.class, v.get(7));
        assertEquals("[1, 1.0, 100000.0, 0, -0.0, 12345678901234567890123, Infinity, NaN, -Infinity]",
                PyJson.dumps(v, PyJson.Style.COMPACT));
    }

    @Test
    void aRepeatedKeyKeepsItsFirstPlaceAndLastValueLikeAPythonDict() {
        assertEquals("{\"a\": 3, \"b\": 2}", PyJson.dumps(PyJson.parse("{\"a\": 1, \"b\": 2, \"a\": 3}", "t"),
                PyJson.Style.COMPACT));
    }

    @Test
    void malformedInputIsACacheExceptionWithThePlace() {
        assertEquals("f.json: malformed JSON: expecting ',' or '}' at line 2 column 9; fix or delete the file",
                assertThrows(CacheException.class, () -> PyJson.parse("{\"a\": 1,\n \"b\": 2 \"c\": 3}", "f.json"))
                        .getMessage());
        assertThrows(CacheException.class, () -> PyJson.parse("{\"a\": 1", "t"));
        assertThrows(CacheException.class, () -> PyJson.parse("[1] x", "t"));
        assertThrows(CacheException.class, () -> PyJson.parse("\"tab\tinside\"", "t"));
        assertThrows(CacheException.class, () -> PyJson.parse("[01]", "t"));
        assertThrows(CacheException.class, () -> PyJson.parse("'single'", "t"));
        assertThrows(CacheException.class, () -> PyJson.parse("", "t"));
        assertThrows(CacheException.class, () -> PyJson.parse(new byte[] {'"', (byte) 0xff, '"'}, "t"));
        assertThrows(CacheException.class, () -> PyJson.parse("1" + "0".repeat(4300), "t"));
    }

    @Test
    void aNestingBombFailsFastInsteadOfOverflowingTheStack() {
        String bomb = "[".repeat(100_000) + "]".repeat(100_000);
        CacheException e = assertThrows(CacheException.class, () -> PyJson.parse(bomb, "bomb.json"));
        assertTrue(e.getMessage().contains("nested deeper than 128 levels"), e.getMessage());
        String ok = "[".repeat(128) + "]".repeat(128);
        assertEquals(ok, PyJson.dumps(PyJson.parse(ok, "t"), PyJson.Style.COMPACT));
    }

    @Test
    void valuesPythonCannotSerialiseAreRefusedByType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PyJson.dumps(List.of(new Object()), PyJson.Style.COMPACT));
        assertTrue(e.getMessage().contains("java.lang.Object is not a Python JSON value"), e.getMessage());
        Map<Object, Object> mixed = new LinkedHashMap<>();
        mixed.put(1L, "a");
        mixed.put("b", "c");
        assertEquals("{\"1\": \"a\", \"b\": \"c\"}", PyJson.dumps(mixed, PyJson.Style.COMPACT));
        assertThrows(IllegalArgumentException.class, () -> PyJson.dumps(mixed, PyJson.Style.COMPACT_SORTED));
    }
}
