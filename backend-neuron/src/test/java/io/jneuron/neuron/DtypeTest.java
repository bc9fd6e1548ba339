package io.jneuron.neuron;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DtypeTest {
    private static RuntimeVersion v(long major, long minor) {
        return new RuntimeVersion(major, minor, 0, 0, "", "");
    }

    @Test
    void bothNumberingsDecode() {
        assertEquals(Dtype.FLOAT32, Dtype.decode(1, Dtype.Numbering.LEGACY, 4));
        assertEquals(Dtype.BFLOAT16, Dtype.decode(3, Dtype.Numbering.LEGACY, 2));
        assertEquals(Dtype.INT64, Dtype.decode(10, Dtype.Numbering.LEGACY, 8));
        assertEquals(Dtype.FLOAT32, Dtype.decode(0xA, Dtype.Numbering.HARDWARE, 4));
        assertEquals(Dtype.BFLOAT16, Dtype.decode(0x6, Dtype.Numbering.HARDWARE, 2));
        assertEquals(Dtype.FP8_E4, Dtype.decode(0xE, Dtype.Numbering.HARDWARE, 1));
        assertEquals(Dtype.UINT64, Dtype.decode(0x1, Dtype.Numbering.HARDWARE, 0));   // size unknown: trust the table
    }

    @Test
    void theElementSizeOverrulesATableThatCannotBeRight() {
        assertEquals(Dtype.UINT64, Dtype.decode(1, Dtype.Numbering.LEGACY, 8));    // legacy FLOAT32 is 4 bytes
        assertEquals(Dtype.FLOAT32, Dtype.decode(0xA, Dtype.Numbering.LEGACY, 4));  // legacy INT64 is 8 bytes
        assertEquals(Dtype.UNKNOWN, Dtype.decode(1, Dtype.Numbering.LEGACY, 2));   // neither fits
        assertEquals(Dtype.UNKNOWN, Dtype.decode(99, Dtype.Numbering.HARDWARE, 4));
    }

    @Test
    void numberingFollowsVersionUnlessConfigured() {
        assertEquals(Dtype.Numbering.LEGACY, Dtype.numberingFor("auto", v(2, 29)));
        assertEquals(Dtype.Numbering.HARDWARE, Dtype.numberingFor("auto", v(2, 30)));
        assertEquals(Dtype.Numbering.HARDWARE, Dtype.numberingFor("auto", v(3, 0)));
        assertEquals(Dtype.Numbering.HARDWARE, Dtype.numberingFor("hardware", v(2, 10)));
        assertEquals(Dtype.Numbering.LEGACY, Dtype.numberingFor("legacy", v(2, 40)));
    }

    @Test
    void elementSizeComesFromSizeAndShape() {
        TensorInfo t = new TensorInfo("x", TensorInfo.Usage.INPUT, 24, 0, Dtype.UNKNOWN, java.util.List.of(2L, 3L));
        assertEquals(6, t.elements());
        assertEquals(4, t.elementSize());
        assertEquals(0, TensorInfo.elementSize(25, java.util.List.of(2L, 3L)));
        assertEquals(8, TensorInfo.elementSize(8, java.util.List.of()));   // a scalar
    }
}
