package io.jneuron.magics;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.cli.GenerateCommand;
import io.jneuron.core.generate.GenerationResult;
import io.jneuron.magics.render.LiveOutput;
import io.jneuron.magics.render.Tables;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code %%neuron_generate MODEL [options]} with the prompt as the cell body: the {@code jneuron generate}
 * command. Tokens stream into one output area (update_display_data); a timings table ends the cell.
 */
final class NeuronGenerateMagic {
    private NeuronGenerateMagic() {
    }

    static DisplayData run(BaseKernel kernel, List<String> args, String body) {
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
        GenerateCommand.Outcome o = ((GenerateCommand) p.command()).generate(live, (row, id, delta) -> {
            if (delta != null && !delta.isEmpty()) {
                text.append(delta);
                live.text(prompt + text, false);
            }
        });
        GenerationResult r = o.result();
        String generated = o.streamed() ? text.toString() : GenerateCommand.display(r.rows().get(0));
        // --chat --show-prompt: the cell shows what the chat template made of the body.
        boolean shown = o.chatPrompts() != null && ((GenerateCommand) p.command()).showsPrompt();
        live.text((shown ? o.chatPrompts().get(0) : prompt) + generated, true);
        return timings(o.backend(), r);
    }

    static DisplayData timings(String backend, GenerationResult r) {
        GenerationResult.Timings t = r.timings();
        List<List<String>> rows = List.of(List.of(backend, String.valueOf(r.batchSize()), String.valueOf(r.sequenceLength()),
                String.valueOf(r.bucket()), ms(t.loadMs()), ms(t.ttftMs()), String.valueOf(t.promptTokens()),
                ms(t.prefillMs()), rate(t.prefillTokS()), String.valueOf(t.decodeTokens()), ms(t.decodeMs()),
                rate(t.decodeTokS())));
        return Tables.display(null, Tables.of("timings", List.of("backend", "batch", "sequence", "bucket", "load ms",
                "TTFT ms", "prompt tokens", "prefill ms", "prefill tok/s", "decode tokens", "decode ms", "decode tok/s"),
                rows));
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String rate(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
