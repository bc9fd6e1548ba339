package io.jneuron.magics;

import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.cli.BackendCommand;
import io.jneuron.core.cli.CacheCommand;
import io.jneuron.core.export.ModelKeeper;
import io.jneuron.core.report.Render;
import io.jneuron.core.report.Report;
import io.jneuron.core.report.TableLayout;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.util.List;

/**
 * Registers the {@code %neuron_*} magics and the renderer of their results. Found by {@link java.util.ServiceLoader}
 * through {@code META-INF/services/org.dflib.jjava.jupyter.Extension}, so it loads into our kernel and into a stock
 * JJava kernel alike. A magic returns a core result ({@link Report}); whether it is a magic's value or a JShell
 * cell's ({@code Jneuron.lookup(...)}), it renders as its headline and table, in HTML and text/plain.
 */
public final class NeuronExtension implements Extension {
    /** The model {@code %%neuron_generate} and {@code %%neuron_pipeline} keep loaded between cells ({@link ModelKeeper}). */
    private final ModelKeeper models = new ModelKeeper();

    @Override
    public void install(BaseKernel kernel) {
        kernel.getMagicsRegistry()
                .registerLineMagic("neuron_export", (BaseKernel k, List<String> a) -> NeuronExportMagic.run(k, a))
                // %neuron_cache VERB and %neuron_backend: the CLI verbs as they are, their results the cell's value
                .registerLineMagic("neuron_cache", (BaseKernel k, List<String> a) -> MagicArgs.run(k, "neuron_cache",
                        new CacheCommand(), a, ProgressListener.NONE))
                .registerLineMagic("neuron_backend", (BaseKernel k, List<String> a) -> MagicArgs.run(k,
                        "neuron_backend", new BackendCommand(), a, ProgressListener.NONE))
                .registerCellMagic("neuron_generate",
                        (BaseKernel k, List<String> a, String body) -> NeuronGenerateMagic.run(k, a, body, models))
                .registerCellMagic("neuron_pipeline",
                        (BaseKernel k, List<String> a, String body) -> NeuronPipelineMagic.run(k, a, body, models));
        registerRenderer(kernel.getRenderer());
    }

    static void registerRenderer(Renderer renderer) {
        renderer.createRegistration(Report.class).preferring(MIMEType.TEXT_HTML).supporting(MIMEType.TEXT_PLAIN)
                .register((r, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> Render.html(r));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> Render.text(r, TableLayout.MAX_WIDTH));
                });
    }
}
