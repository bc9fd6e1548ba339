package io.jneuron.magics;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.cli.GenerateCommand;
import io.jneuron.core.export.ModelKeeper;
import io.jneuron.core.service.Generation;
import io.jneuron.magics.render.LiveOutput;
import org.dflib.jjava.jupyter.kernel.BaseKernel;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code %%neuron_generate MODEL [options]} with the prompt as the cell body: the {@code jneuron generate}
 * command. Tokens stream into one output area (update_display_data); the {@link Generation} (its timings table)
 * is the cell's value. The model stays loaded for the next cell on it ({@code models}).
 */
final class NeuronGenerateMagic {
    private NeuronGenerateMagic() {
    }

    static Object run(BaseKernel kernel, List<String> args, String body, ModelKeeper models) {
        String prompt = body == null ? "" : body.strip();
        if (prompt.isEmpty()) {
            throw new NeuronKernelException("%%neuron_generate: the cell body is the prompt and it is empty; write the "
                    + "prompt on the lines after %%neuron_generate MODEL");
        }
        List<String> all = new ArrayList<>(args);
        all.add("--prompt");
        all.add(prompt);
        MagicArgs.Parsed p = MagicArgs.parse(kernel, "neuron_generate", new GenerateCommand(), all);
        if (p.help() != null) {
            return p.help();
        }
        LiveOutput live = new LiveOutput(kernel);
        StringBuilder text = new StringBuilder();
        Generation g = live.guard(() -> ((GenerateCommand) p.command()).generate(
                MagicArgs.context(kernel, live).withModels(models),
                (row, id, delta) -> {
                    if (delta != null && !delta.isEmpty()) {
                        text.append(delta);
                        live.text(prompt + text, false);
                    }
                }));
        // --chat --show-prompt: the cell shows what the chat template made of the body.
        String shown = g.showPrompt() && g.chatPrompts() != null ? g.chatPrompts().get(0) : prompt;
        live.text(shown + (g.streamed() ? text.toString() : g.text(0)), true);
        // The text is in the live area already; the cell's value shows the timings (or --format's document).
        return p.shown(g.shown());
    }
}
