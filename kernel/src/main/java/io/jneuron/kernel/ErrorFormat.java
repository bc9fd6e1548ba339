package io.jneuron.kernel;

import io.jneuron.core.NeuronKernelException;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.magic.UndefinedMagicException;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Turns a failed cell into the lines of its error output: user mistakes get a short message naming
 * what to change; only kernel bugs get a stack trace.
 */
final class ErrorFormat {
    static final String INTERRUPTED = "interrupted: the cell was stopped (exports and generations stop at their next "
            + "step). Code that never checks for interrupts, such as a busy loop, cannot be stopped and keeps running "
            + "in the background; restart the kernel to end it.";

    private ErrorFormat() {
    }

    static List<String> format(Throwable e, MagicsRegistry magics, StringStyler styler) {
        List<String> out = new ArrayList<>();
        if (e instanceof CellWorker.Interrupted) {
            out.add(styler.primary(INTERRUPTED));
        } else if (e instanceof CellError ce) {
            out.add(styler.primary(ce.getMessage()));
            ce.detail().forEach(l -> out.add(styler.secondary(l)));
        } else if (e instanceof UndefinedMagicException u) {
            boolean line = u.isLineMagic();
            TreeSet<String> known = new TreeSet<>(line ? magics.getLineMagicNames() : magics.getCellMagicNames());
            String prefix = line ? "%" : "%%";
            out.add(styler.primary("unknown magic " + prefix + u.getMagicName() + "; known "
                    + (line ? "line" : "cell") + " magics: " + (known.isEmpty() ? "none"
                    : prefix + String.join(", " + prefix, known))));
        } else if (e instanceof NeuronKernelException) {
            // Messages of the core already say what failed and what to change.
            for (String l : String.valueOf(e.getMessage()).split("\n")) {
                out.add(styler.primary(l));
            }
        } else {
            StringWriter sw = new StringWriter();
            e.printStackTrace(new PrintWriter(sw));
            out.add(styler.primary("internal error (please report): " + e));
            out.addAll(styler.secondaryLines(sw.toString()));
        }
        return out;
    }
}
