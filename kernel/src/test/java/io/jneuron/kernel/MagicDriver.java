package io.jneuron.kernel;

import io.jneuron.core.report.Render;
import io.jneuron.core.report.Report;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A kernel in its own JVM, so a test can give it an environment (HF_ENDPOINT, HF_HOME, HF_TOKEN) as a user's
 * kernelspec would: runs each argument after the first as a cell through the kernel (magics included) and writes
 * the cell's value to {@code OUT_DIR/<n>.txt} (a report as its JSON, a display bundle as its text/plain).
 */
public final class MagicDriver {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        NeuronKernel kernel = NeuronKernel.create();
        kernel.onStartup();
        // As a kernel a user has opened: its start-up JShell warm-up over before the first cell (idempotent; this waits
        // for the background one). Raced against the cells, it ran between two of them and its compiles slowed the next.
        kernel.warm();
        try {
            for (int i = 1; i < args.length; i++) {
                Object v = kernel.evalRaw(args[i]);
                String text = v instanceof Report r ? Render.json(r)
                        : v instanceof DisplayData d ? (String) d.getData(MIMEType.TEXT_PLAIN) : String.valueOf(v);
                Files.writeString(out.resolve(i + ".txt"), text);
            }
        } finally {
            kernel.onShutdown(false);
        }
        System.exit(0);
    }
}
