package io.jneuron.kernel;

import java.util.List;

/** A cell's own mistake (compile error, exception in user code): a short message plus detail lines. */
final class CellError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> detail;

    CellError(String message, List<String> detail) {
        super(message, null, false, false);
        this.detail = List.copyOf(detail);
    }

    List<String> detail() {
        return detail;
    }
}
