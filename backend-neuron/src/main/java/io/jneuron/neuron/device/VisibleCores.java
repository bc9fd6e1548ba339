package io.jneuron.neuron.device;

import io.jneuron.core.NeuronKernelException;

/**
 * Which NeuronCores the runtime will claim, from {@code NEURON_RT_VISIBLE_CORES} (a contiguous list:
 * {@code 3}, {@code 3-6}, {@code 3-5,6}; it wins) or {@code NEURON_RT_NUM_CORES} (a count, 0 = all).
 * Checked in Java because the runtime only logs a malformed value from inside nrt_init.
 *
 * @param first first core, or -1 when the runtime picks ({@code NUM_CORES} or nothing set)
 * @param count cores claimed, or 0 for all of them
 */
public record VisibleCores(int first, int count) {
    public static final String VISIBLE_CORES = "NEURON_RT_VISIBLE_CORES";
    public static final String NUM_CORES = "NEURON_RT_NUM_CORES";

    /** Nothing set: every core on the machine. */
    public static final VisibleCores ALL = new VisibleCores(-1, 0);

    public static VisibleCores parse(String visible, String numCores) {
        if (visible != null && !visible.isBlank()) {
            return parseList(visible.trim());
        }
        if (numCores != null && !numCores.isBlank()) {
            try {
                int n = Integer.parseInt(numCores.trim());
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n == 0 ? ALL : new VisibleCores(-1, n);
            } catch (NumberFormatException e) {
                throw new NeuronKernelException(NUM_CORES + "='" + numCores + "' is not a core count; use a whole number >= 0");
            }
        }
        return ALL;
    }

    private static VisibleCores parseList(String s) {
        int first = -1;
        int next = -1;
        for (String part : s.split(",", -1)) {
            String p = part.trim();
            int a;
            int b;
            try {
                int dash = p.indexOf('-');
                a = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                b = dash < 0 ? a : Integer.parseInt(p.substring(dash + 1).trim());
            } catch (NumberFormatException e) {
                throw new NeuronKernelException(VISIBLE_CORES + "='" + s + "' is malformed at '" + p
                        + "'; use a core (3), a range (3-6) or a list of ranges (3-5,6)");
            }
            if (a < 0 || b < a) {
                throw new NeuronKernelException(VISIBLE_CORES + "='" + s + "' has an empty or negative range '" + p + "'");
            }
            if (first < 0) {
                first = a;
            } else if (a != next) {
                throw new NeuronKernelException(VISIBLE_CORES + "='" + s + "' is not contiguous (core " + next
                        + " is skipped or repeated); the runtime needs one unbroken range such as " + first + "-" + b);
            }
            next = b + 1;
        }
        return new VisibleCores(first, next - first);
    }

    /** Cores claimed on a machine with {@code total}; over-asking is an error naming both numbers. */
    public int claimedOf(int total) {
        if (count == 0) {
            return total;
        }
        int end = (first < 0 ? 0 : first) + count;
        if (end > total) {
            throw new NeuronKernelException("asked for cores up to " + (end - 1) + " but the machine has " + total
                    + " NeuronCores (0-" + (total - 1) + "); check " + VISIBLE_CORES + " / " + NUM_CORES);
        }
        return count;
    }

    @Override
    public String toString() {
        return count == 0 ? "all" : first < 0 ? count + " cores" : first + (count > 1 ? "-" + (first + count - 1) : "");
    }
}
