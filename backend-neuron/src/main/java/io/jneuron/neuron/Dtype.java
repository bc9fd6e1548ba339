package io.jneuron.neuron;

import java.util.HashMap;
import java.util.Map;

/**
 * Element types as libnrt names them. The numeric code changed between releases
 * (specs/neuron-runtime.md §1.2): the legacy sequential numbering (2022 to 2026-01 headers) and the
 * hardware numbering of the SDK 2.28 header. The binding never sizes a buffer from the code: it
 * derives the element size from byte size and shape, reads the code through the table chosen for
 * the runtime version, and uses the element size to catch a table that does not fit.
 */
public enum Dtype {
    FLOAT32(4), FLOAT16(2), BFLOAT16(2), INT8(1), UINT8(1), INT16(2), UINT16(2), INT32(4), UINT32(4),
    INT64(8), UINT64(8), FP32R(4), FP8_E3(1), FP8_E4(1), FP8_E5(1), UNKNOWN(0);

    /** Which code table a runtime uses. */
    public enum Numbering { LEGACY, HARDWARE }

    /**
     * Runtime versions from this one on are read with the hardware numbering. The header changed with
     * SDK 2.28, whose runtime library is about 2.30; which release first returned these codes is not
     * documented (spec §7 open point 1), so this is an inference; override with NEURON_KERNEL_NRT_DTYPES.
     */
    static final long[] HARDWARE_FROM = {2, 30};

    private static final Map<Integer, Dtype> LEGACY = new HashMap<>();
    private static final Map<Integer, Dtype> HARDWARE = new HashMap<>();

    static {
        Dtype[] seq = {FLOAT32, FLOAT16, BFLOAT16, INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64};
        for (int i = 0; i < seq.length; i++) {
            LEGACY.put(i + 1, seq[i]);
        }
        Object[][] hw = {{0x1, UINT64}, {0x2, INT8}, {0x3, UINT8}, {0x4, INT16}, {0x5, UINT16}, {0x6, BFLOAT16},
            {0x7, FLOAT16}, {0x8, INT32}, {0x9, UINT32}, {0xA, FLOAT32}, {0xB, FP32R}, {0xC, INT64},
            {0xD, FP8_E3}, {0xE, FP8_E4}, {0xF, FP8_E5}};
        for (Object[] row : hw) {
            HARDWARE.put((Integer) row[0], (Dtype) row[1]);
        }
    }

    private final int bytes;

    Dtype(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element, 0 for {@link #UNKNOWN}. */
    public int bytes() {
        return bytes;
    }

    /** The table for a runtime: the configured one, or by version when {@code auto}. */
    static Numbering numberingFor(String configured, RuntimeVersion v) {
        return switch (configured) {
            case "legacy" -> Numbering.LEGACY;
            case "hardware" -> Numbering.HARDWARE;
            default -> v.major() > HARDWARE_FROM[0] || (v.major() == HARDWARE_FROM[0] && v.minor() >= HARDWARE_FROM[1])
                    ? Numbering.HARDWARE : Numbering.LEGACY;
        };
    }

    /**
     * Reads {@code code} through {@code numbering}. If that type's size contradicts the element size
     * measured from the tensor (e.g. legacy 1 = FLOAT32 for an 8-byte element) and the other table's
     * type fits, the other table wins; if neither fits the result is {@link #UNKNOWN}.
     *
     * @param elementSize bytes per element from size and shape, or 0 when it cannot be measured
     */
    static Dtype decode(int code, Numbering numbering, long elementSize) {
        Dtype primary = (numbering == Numbering.LEGACY ? LEGACY : HARDWARE).getOrDefault(code, UNKNOWN);
        if (elementSize <= 0 || primary.bytes == elementSize) {
            return primary;
        }
        Dtype other = (numbering == Numbering.LEGACY ? HARDWARE : LEGACY).getOrDefault(code, UNKNOWN);
        return other.bytes == elementSize ? other : UNKNOWN;
    }
}
