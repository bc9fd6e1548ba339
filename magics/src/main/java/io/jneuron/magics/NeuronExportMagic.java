package io.jneuron.magics;

import io.jneuron.core.cli.ExportCommand;
import io.jneuron.magics.render.LiveOutput;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

import java.util.List;

/** {@code %neuron_export MODEL OUTPUT [options]}: the {@code jneuron export} command with a progress bar. */
final class NeuronExportMagic {
    private NeuronExportMagic() {
    }

    static Object run(BaseKernel kernel, List<String> args) {
        LiveOutput progress = new LiveOutput(kernel);
        Object r = progress.guard(() -> MagicArgs.run(kernel, "neuron_export", new ExportCommand(), args, progress));
        progress.done();
        return r;
    }
}
