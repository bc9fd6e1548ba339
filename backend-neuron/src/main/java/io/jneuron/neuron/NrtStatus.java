package io.jneuron.neuron;

import java.util.HashMap;
import java.util.Map;

/**
 * The runtime's {@code NRT_STATUS} codes (specs/neuron-runtime.md §1.6), plus three negative codes
 * the JNI shim uses for problems it finds before reaching libnrt. Each code belongs to a
 * {@link Kind}, which picks the exception type callers can catch.
 */
public enum NrtStatus {
    SUCCESS(0, Kind.OK, "success"),
    FAILURE(1, Kind.GENERAL, "generic failure"),
    INVALID(2, Kind.BAD_INPUT, "invalid NEFF, instruction or descriptor, or an input name or size mismatch"),
    INVALID_HANDLE(3, Kind.STATE, "invalid handle"),
    RESOURCE(4, Kind.GENERAL, "could not allocate a resource"),
    TIMEOUT(5, Kind.RETRYABLE, "execution timed out; raise NEURON_RT_EXEC_TIMEOUT or check the model"),
    HW_ERROR(6, Kind.HARDWARE, "hardware error"),
    QUEUE_FULL(7, Kind.RETRYABLE, "too many pending executions; retry later or lower concurrency"),
    LOAD_NOT_ENOUGH_NC(9, Kind.GENERAL, "not enough NeuronCores for this model; check NEURON_RT_VISIBLE_CORES"),
    UNSUPPORTED_NEFF_VERSION(10, Kind.BAD_INPUT, "NEFF version or feature bits not supported by this runtime"),
    FAIL_HOST_MEM_ALLOC(11, Kind.GENERAL, "host memory allocation failed"),
    UNINITIALIZED(13, Kind.STATE, "the runtime is not initialised (nrt_init was not called)"),
    CLOSED(14, Kind.STATE, "the runtime is closed (called after nrt_close)"),
    QUEUE_EMPTY(15, Kind.RETRYABLE, "queue empty"),
    EXEC_UNIT_UNRECOVERABLE(101, Kind.HARDWARE, "execution unit needs a reset"),
    EXEC_BAD_INPUT(1002, Kind.BAD_INPUT, "bad input: a required input is missing or malformed"),
    EXEC_COMPLETED_WITH_NUM_ERR(1003, Kind.NUMERIC, "execution completed with a numerical error (NaN)"),
    EXEC_COMPLETED_WITH_ERR(1004, Kind.HARDWARE, "execution completed with a logical or parity error"),
    EXEC_NC_BUSY(1005, Kind.RETRYABLE, "NeuronCore busy: locked by another model or process"),
    EXEC_OOB(1006, Kind.GENERAL, "out of bounds"),
    COLL_PENDING(1100, Kind.RETRYABLE, "collective operation pending"),
    EXEC_HW_ERR_COLLECTIVES(1200, Kind.HARDWARE, "hardware error in collectives"),
    EXEC_HW_ERR_HBM_UE(1201, Kind.HARDWARE, "uncorrectable HBM error"),
    EXEC_HW_ERR_NC_UE(1202, Kind.HARDWARE, "uncorrectable NeuronCore error"),
    EXEC_HW_ERR_DMA_ABORT(1203, Kind.HARDWARE, "DMA abort"),
    EXEC_SW_NQ_OVERFLOW(1204, Kind.HARDWARE, "notification queue overflow"),
    EXEC_HW_ERR_REPAIRABLE_HBM_UE(1205, Kind.HARDWARE, "repairable HBM error"),
    NETWORK_PROXY_FAILURE(1206, Kind.HARDWARE, "network proxy failure"),
    /** Shim: the library is not loaded or lacks the symbol's function. */
    JNEURON_NOT_LOADED(-1, Kind.STATE, "libnrt is not loaded"),
    /** Shim: an optional symbol is absent from this libnrt release. */
    JNEURON_NO_SYMBOL(-2, Kind.GENERAL, "this libnrt release lacks the function"),
    /** Shim: a null handle, a heap buffer where a direct one is needed, or an out-of-range copy. */
    JNEURON_BAD_ARGUMENT(-3, Kind.BAD_INPUT, "bad argument rejected by the JNI shim");

    /** Which exception a status raises; lets callers retry, fix input, or give up. */
    public enum Kind { OK, GENERAL, BAD_INPUT, RETRYABLE, STATE, HARDWARE, NUMERIC }

    private static final Map<Integer, NrtStatus> BY_CODE = new HashMap<>();

    static {
        for (NrtStatus s : values()) {
            BY_CODE.put(s.code, s);
        }
    }

    private final int code;
    private final Kind kind;
    private final String meaning;

    NrtStatus(int code, Kind kind, String meaning) {
        this.code = code;
        this.kind = kind;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public Kind kind() {
        return kind;
    }

    public String meaning() {
        return meaning;
    }

    /** The C name, e.g. {@code NRT_TIMEOUT}. */
    public String cName() {
        return name().startsWith("JNEURON_") ? name() : "NRT_" + name();
    }

    /** The status for a code, or null for a code this release does not know (it is passed through). */
    public static NrtStatus of(int code) {
        return BY_CODE.get(code);
    }
}
