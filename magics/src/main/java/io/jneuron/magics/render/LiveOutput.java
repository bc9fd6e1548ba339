package io.jneuron.magics.render;

import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.report.Render;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.Locale;
import java.util.UUID;

/**
 * One output area of the running cell that is updated in place (display_data, then update_display_data):
 * a progress bar, or text that grows as tokens arrive. Updates are throttled so a fast loop does not
 * flood the front end; {@link #finish} always sends the last state. Outside a request it does nothing.
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
        DisplayData d = new DisplayData(text);
        d.putHTML("<pre class=\"jneuron-stream\">" + Render.escape(text) + "</pre>");
        show(d);
    }

    /** Sends {@code last} as the final state, even if throttled before. */
    public synchronized void finish(DisplayData last) {
        lastUpdate = 0;
        show(last);
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
