package io.jneuron.core.cli;

import io.jneuron.core.backend.ProgressListener;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on stderr: one line when the stage changes ({@code [jneuron] compile...}). A download
 * ({@code download <file> (<size>)} with a fraction) also shows how far it got: on a terminal one line rewritten
 * in place; in a log, a line per 10% (at most one a second) and one a minute while it crawls, so a large or slow
 * download shows it is alive and a small one adds nothing.
 */
final class ProgressLines implements ProgressListener {
    private static final long REWRITE_NANOS = 200_000_000L;
    private static final long STEP_NANOS = 1_000_000_000L;
    private static final long HEARTBEAT_NANOS = 60_000_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private String lastTop = "";
    private String download;
    private int shownPct = -1;
    private long shownAt;
    private boolean open;

    ProgressLines(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public synchronized void progress(String stage, double fraction) {
        boolean isDownload = stage.startsWith("download ") && fraction >= 0;
        if (isDownload && stage.equals(download)) {
            advance(fraction);
            return;
        }
        endLine();
        String top = isDownload ? stage : stage.contains(" ") ? stage.substring(0, stage.indexOf(' ')) : stage;
        download = isDownload ? stage : null;
        if (!top.equals(lastTop)) {
            lastTop = top;
            err.println("[jneuron] " + top + "...");
            err.flush();
        }
        shownPct = -1;
        shownAt = System.nanoTime();
        if (isDownload) {
            advance(fraction);
        }
    }

    private void advance(double fraction) {
        int pct = (int) Math.floor(Math.min(1, fraction) * 100);
        long now = System.nanoTime();
        if (pct == shownPct) {
            return;
        }
        if (terminal) {
            if (pct == 100 || now - shownAt >= REWRITE_NANOS) {
                err.print("\r[jneuron] " + download + " " + pct + "%");
                open = true;
                mark(pct, now);
                if (pct == 100) {
                    endLine();
                }
            }
        } else if (pct > 0 && ((pct - Math.max(shownPct, 0) >= 10 && now - shownAt >= STEP_NANOS)
                || now - shownAt >= HEARTBEAT_NANOS || (pct == 100 && shownPct >= 0))) {
            err.println(String.format(Locale.ROOT, "[jneuron] %s %d%%", download, pct));
            mark(pct, now);
        }
    }

    private void mark(int pct, long now) {
        shownPct = pct;
        shownAt = now;
        err.flush();
    }

    private void endLine() {
        if (open) {
            err.println();
            err.flush();
            open = false;
        }
    }

    /** Whether stderr is a terminal, where rewriting a line in place reads well. */
    static boolean stderrIsTerminal() {
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            // JDK 22+ may give a Console for redirected streams; isTerminal() says which it is.
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 17-21: a Console exists only on a terminal
        }
    }
}
