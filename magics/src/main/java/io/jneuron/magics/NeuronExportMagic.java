package io.jneuron.magics;

import io.jneuron.core.cli.ExportCommand;
import io.jneuron.core.export.ExportResult;
import io.jneuron.magics.render.LiveOutput;
import io.jneuron.magics.render.Tables;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code %neuron_export MODEL OUTPUT [options]}: the {@code jneuron export} command, rendered as tables. */
final class NeuronExportMagic {
    private NeuronExportMagic() {
    }

    static DisplayData run(BaseKernel kernel, List<String> args) {
        MagicArgs.Parsed p = MagicArgs.parse(kernel, "neuron_export", new ExportCommand(), args);
        if (p.help() != null) {
            return p.help();
        }
        LiveOutput progress = new LiveOutput(kernel);
        ExportResult r = ((ExportCommand) p.command()).export(progress);
        progress.progress("done", 1);
        return render(r);
    }

    static DisplayData render(ExportResult r) {
        Map<String, Double> t = r.timingsMs();
        double seconds = t.getOrDefault("total_ms", 0.0) / 1000;
        String headline = r.cache().equals(ExportResult.MISS)
                ? String.format(Locale.ROOT, "cache miss: compiled with %s in %.2f s", r.exported().backend(), seconds)
                : String.format(Locale.ROOT, "cache %s: ready in %.2f s", r.cache(), seconds);
        List<List<String>> props = new ArrayList<>();
        props.add(List.of("output", r.exported().folder().toString()));
        props.add(List.of("backend", r.exported().backend()));
        props.add(List.of("cache", r.cache()));
        props.add(List.of("shapes", r.exported().shape().toString()));
        props.add(List.of("registry entry", r.entry()));
        props.add(List.of("entry file", String.valueOf(r.entryFile())));
        props.add(List.of("module", String.valueOf(r.module())));
        props.add(List.of("parameters", String.format(Locale.ROOT, "%.2f M", r.memory().parameters() / 1e6)));
        props.add(List.of("weights", String.format(Locale.ROOT, "%.1f MB", r.memory().weightBytes() / 1e6)));
        props.add(List.of("KV cache", String.format(Locale.ROOT, "%.1f MB", r.memory().kvCacheBytes() / 1e6)));
        props.add(List.of("artifacts", String.join(", ", r.artifacts())));
        if (r.pushed() != null) {
            props.add(List.of("pushed to", r.pushed().repo() + " at " + r.pushed().commit()));
        }
        List<List<String>> times = new ArrayList<>();
        t.forEach((k, v) -> times.add(List.of(k, String.format(Locale.ROOT, "%.1f", v))));
        return Tables.display(headline, Tables.properties("export", props),
                Tables.of("timings", List.of("stage", "ms"), times));
    }
}
