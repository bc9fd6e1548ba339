package io.jneuron.magics.render;

import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.report.Render;
import io.jneuron.core.report.TableLayout;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One output area of the running cell that is updated in place (display_data, then update_display_data):
 * a progress bar, or text that grows as tokens arrive. Updates are throttled so a fast loop does not
 * flood the front end; a forced {@link #text}, a new stage and {@link #failed} always show. Outside a request it
 * does nothing.
 */
public final class LiveOutput implements ProgressListener {
    private static final long MIN_INTERVAL_NANOS = 100_000_000L;

    private final BaseKernel kernel;
    private final String id = "jneuron-" + UUID.randomUUID();
    private boolean shown;
    private long lastUpdate;
    private String lastStage = "";

    public LiveOutput(BaseKernel kernel) {
        this.kernel = kernel;
    }

    /** A progress bar; fraction -1 shows an indeterminate bar. */
    @Override
    public synchronized void progress(String stage, double fraction) {
        boolean stageChanged = !stage.equals(lastStage);
        lastStage = stage;
        if (!stageChanged && !due()) {
            return;
        }
        String value = fraction < 0 ? "" : String.format(Locale.ROOT, " value=\"%.3f\"", fraction);
        int pct = fraction < 0 ? -1 : (int) Math.round(fraction * 100);
        DisplayData d = new DisplayData(pct < 0 ? "[" + stage + "]" : String.format(Locale.ROOT, "[%3d%%] %s", pct, stage));
        d.putHTML("<div class=\"jneuron-progress\"><progress max=\"1\"" + value + " style=\"width:24em\"></progress> "
                + Render.escape(stage) + "</div>");
        show(d);
    }

    /** Replaces the output with {@code text} (as preformatted HTML and text/plain). */
    public synchronized void text(String text, boolean force) {
        if (!force && !due()) {
            return;
        }
        // Wrapped at word boundaries in both forms, so neither is one unbroken line.
        DisplayData d = new DisplayData(TableLayout.wrap(text, 100));
        d.putHTML("<pre class=\"jneuron-stream\" style=\"white-space:pre-wrap;overflow-wrap:anywhere\">"
                + Render.escape(text) + "</pre>");
        show(d);
    }

    /**
     * Replaces a progress bar left by a failed step with a line saying where it stopped, so no bar keeps
     * animating above the error. Does nothing if nothing was shown.
     */
    public synchronized void failed() {
        if (!shown) {
            return;
        }
        String what = lastStage.isEmpty() ? "failed" : "failed during: " + lastStage;
        DisplayData d = new DisplayData("[failed] " + what);
        d.putHTML("<div class=\"jneuron-progress jneuron-failed\" style=\"color:#b00\">&#10007; " + Render.escape(what)
                + "</div>");
        lastUpdate = 0;
        show(d);
    }

    /** Fills a progress bar that was shown; does nothing if nothing was (help, an instant cache hit). */
    public synchronized void done() {
        if (shown) {
            progress("done", 1);
        }
    }

    /** {@code step}'s result; when it throws, no bar is left animating above the error ({@link #failed}). */
    public <T> T guard(Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            failed();
            throw e;
        }
    }

    private boolean due() {
        return System.nanoTime() - lastUpdate >= MIN_INTERVAL_NANOS;
    }

    private void show(DisplayData d) {
        lastUpdate = System.nanoTime();
        if (!kernel.getIO().display.isAttached()) {
            return;
        }
        if (!shown) {
            d.setDisplayId(id);
            kernel.display(d);
            shown = true;
        } else {
            kernel.getIO().display.updateDisplay(id, d);
        }
    }
}
