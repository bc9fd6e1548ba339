package io.jneuron.magics;

import io.jneuron.magics.render.Tables;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import tech.tablesaw.api.Table;

/**
 * Registers the {@code %neuron_*} magics and an HTML renderer for Tablesaw tables. Found by
 * {@link java.util.ServiceLoader} through {@code META-INF/services/org.dflib.jjava.jupyter.Extension},
 * so it loads into our kernel and into a stock JJava kernel alike. Each magic returns its display bundle.
 */
public final class NeuronExtension implements Extension {
    @Override
    public void install(BaseKernel kernel) {
        kernel.getMagicsRegistry()
                .registerLineMagic("neuron_export", (BaseKernel k, java.util.List<String> a) -> NeuronExportMagic.run(k, a))
                .registerLineMagic("neuron_cache", (BaseKernel k, java.util.List<String> a) -> NeuronCacheMagic.run(k, a))
                .registerLineMagic("neuron_backend", (BaseKernel k, java.util.List<String> a) -> NeuronBackendMagic.run(k, a))
                .registerCellMagic("neuron_generate",
                        (BaseKernel k, java.util.List<String> a, String body) -> NeuronGenerateMagic.run(k, a, body))
                .registerCellMagic("neuron_pipeline",
                        (BaseKernel k, java.util.List<String> a, String body) -> NeuronPipelineMagic.run(k, a, body));
        kernel.getRenderer().createRegistration(Table.class).preferring(MIMEType.TEXT_HTML).supporting(MIMEType.TEXT_PLAIN)
                .register((t, ctx) -> {
                    ctx.renderIfRequested(MIMEType.TEXT_HTML, () -> Tables.html(t));
                    ctx.renderIfRequested(MIMEType.TEXT_PLAIN, () -> Tables.text(t));
                });
    }
}
