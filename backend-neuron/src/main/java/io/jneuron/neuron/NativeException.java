package io.jneuron.neuron;

import io.jneuron.core.NeuronKernelException;

/**
 * A libnrt call returned a status other than success. Carries the C function, the numeric code and
 * its {@code NRT_*} name; codes this release does not know keep their number and are named
 * {@code NRT_STATUS_<code>}. The subclass tells what to do: {@link Retryable} (timeout, queue
 * full, NeuronCore busy), {@link BadInput} (fix the NEFF or inputs), {@link State} (runtime not
 * initialised, closed, bad handle), {@link Hardware}, {@link Numeric} (a NaN result).
 */
public class NativeException extends NeuronKernelException {
    private final String function;
    private final int code;
    private final String statusName;

    NativeException(String function, int code, String statusName, String message) {
        super(message);
        this.function = function;
        this.code = code;
        this.statusName = statusName;
    }

    /** The libnrt function that failed, e.g. {@code nrt_execute}. */
    public String function() {
        return function;
    }

    public int code() {
        return code;
    }

    /** {@code NRT_TIMEOUT}, or {@code NRT_STATUS_<code>} for a code unknown to this release. */
    public String statusName() {
        return statusName;
    }

    /** The known status, or null when the runtime is newer than this binding. */
    public NrtStatus status() {
        return NrtStatus.of(code);
    }

    /**
     * Builds the exception for {@code code}. {@code runtimeText} is the runtime's own wording
     * (nrt_get_status_as_str, absent before 2026); {@code context} names the object involved.
     */
    static NativeException of(String function, int code, String runtimeText, String context) {
        NrtStatus s = NrtStatus.of(code);
        String name = s == null ? "NRT_STATUS_" + code : s.cName();
        String meaning = runtimeText != null && !runtimeText.isBlank() ? runtimeText
                : s == null ? "status unknown to this binding" : s.meaning();
        String message = function + " failed for " + context + ": " + name + " (" + code + "): " + meaning;
        NrtStatus.Kind kind = s == null ? NrtStatus.Kind.GENERAL : s.kind();
        return switch (kind) {
            case RETRYABLE -> new Retryable(function, code, name, message);
            case BAD_INPUT -> new BadInput(function, code, name, message);
            case STATE -> new State(function, code, name, message);
            case HARDWARE -> new Hardware(function, code, name, message);
            case NUMERIC -> new Numeric(function, code, name, message);
            default -> new NativeException(function, code, name, message);
        };
    }

    /** Timeout, queue full, NeuronCore busy: the same call may succeed later. */
    public static final class Retryable extends NativeException {
        Retryable(String function, int code, String name, String message) {
            super(function, code, name, message);
        }
    }

    /** The NEFF or the inputs are wrong: invalid, bad input, unsupported NEFF version. */
    public static final class BadInput extends NativeException {
        BadInput(String function, int code, String name, String message) {
            super(function, code, name, message);
        }
    }

    /** The runtime is in the wrong state: uninitialised, closed, or a handle it does not know. */
    public static final class State extends NativeException {
        State(String function, int code, String name, String message) {
            super(function, code, name, message);
        }
    }

    /** The device reported an error; the execution unit may need a reset. */
    public static final class Hardware extends NativeException {
        Hardware(String function, int code, String name, String message) {
            super(function, code, name, message);
        }
    }

    /** Execution completed but produced NaN; the outputs were written. */
    public static final class Numeric extends NativeException {
        Numeric(String function, int code, String name, String message) {
            super(function, code, name, message);
        }
    }
}
