package io.jneuron.magics;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.cli.PipelineCommand;
import io.jneuron.core.pipeline.EncoderPipeline;
import io.jneuron.core.pipeline.PipelineOutput;
import io.jneuron.core.pipeline.PipelineResult;
import io.jneuron.core.pipeline.Similarity;
import io.jneuron.core.report.Render;
import io.jneuron.core.report.Report;
import io.jneuron.core.report.Table;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code %%neuron_pipeline TASK MODEL [options]}: the {@code jneuron pipeline} command with one input per
 * line of the cell body (question-answering: the question on the first line, the context after it).
 * Renders a table per task, a cosine-similarity matrix when several sentences are embedded, and timings.
 */
final class NeuronPipelineMagic {
    private NeuronPipelineMagic() {
    }

    static DisplayData run(BaseKernel kernel, List<String> args, String body) {
        List<String> lines = body == null ? List.of() : body.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        List<String> all = new ArrayList<>(args);
        boolean qa = args.contains("question-answering");
        if (qa && lines.size() >= 2) {
            all.addAll(List.of("--question", lines.get(0), "--context", String.join("\n", lines.subList(1, lines.size()))));
        } else if (!qa) {
            lines.forEach(l -> all.addAll(List.of("--input", l)));
        }
        MagicArgs.Parsed p = MagicArgs.parse(kernel, "neuron_pipeline", new PipelineCommand(), all);
        if (p.help() != null) {
            return p.help();
        }
        if (lines.isEmpty()) {
            throw new NeuronKernelException("%%neuron_pipeline: the cell body holds the inputs, one per line, and it is empty");
        }
        PipelineCommand cmd = (PipelineCommand) p.command();
        PipelineResult r = EncoderPipeline.run(cmd.request(), cmd.settings(), ProgressListener.NONE);
        List<Report> parts = tables(r, lines);
        DisplayData d = new DisplayData(String.join("\n\n", parts.stream().map(Render::text).toList()));
        d.putHTML(String.join("", parts.stream().map(Render::html).toList()));
        return d;
    }

    static List<Report> tables(PipelineResult r, List<String> inputs) {
        List<Report> out = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        List<String> headers;
        switch (r.task()) {
            case "text-classification" -> {
                headers = List.of("input", "label", "score");
                for (int i = 0; i < r.outputs().size(); i++) {
                    PipelineOutput.Classification c = (PipelineOutput.Classification) r.outputs().get(i);
                    rows.add(List.of(inputs.get(i), c.label(), num(c.score())));
                }
            }
            case "token-classification" -> {
                headers = List.of("input", "entity", "word", "score", "start", "end");
                for (int i = 0; i < r.outputs().size(); i++) {
                    for (PipelineOutput.Entity e : ((PipelineOutput.Entities) r.outputs().get(i)).entities()) {
                        rows.add(List.of(inputs.get(i), e.entity(), e.word(), num(e.score()), "" + e.start(), "" + e.end()));
                    }
                }
            }
            case "fill-mask" -> {
                headers = List.of("input", "token", "score", "sequence");
                for (int i = 0; i < r.outputs().size(); i++) {
                    for (PipelineOutput.Prediction x : ((PipelineOutput.FillMask) r.outputs().get(i)).predictions()) {
                        rows.add(List.of(inputs.get(i), x.tokenStr(), num(x.score()), x.sequence()));
                    }
                }
            }
            case "question-answering" -> {
                headers = List.of("answer", "score", "start", "end");
                PipelineOutput.Answer a = (PipelineOutput.Answer) r.outputs().get(0);
                rows.add(List.of(a.answer(), num(a.score()), "" + a.start(), "" + a.end()));
            }
            default -> {
                headers = List.of("input", "tokens", "dimensions");
                for (int i = 0; i < r.outputs().size(); i++) {
                    PipelineOutput.Embedding e = (PipelineOutput.Embedding) r.outputs().get(i);
                    int dims = e.embedding() != null ? e.embedding().length : e.tokenEmbeddings()[0].length;
                    rows.add(List.of(inputs.get(i), "" + e.inputIds().length, "" + dims));
                }
                if (r.outputs().size() > 1 && ((PipelineOutput.Embedding) r.outputs().get(0)).embedding() != null) {
                    out.add(similarity(Similarity.cosineMatrix(Similarity.embeddings(r)), inputs));
                }
            }
        }
        out.add(0, Report.of(r.task(), Table.of(headers, rows)));
        out.add(Report.of("timings", Table.of(List.of("backend", "batch", "sequence", "load ms", "run ms", "inputs/s"),
                List.of(List.of(r.backend(), "" + r.batchSize(), "" + r.sequenceLength(), num(r.timings().get("load_ms")),
                        num(r.timings().get("run_ms")), num(r.timings().get("inputs_per_s")))))));
        return out;
    }

    private static Report similarity(double[][] m, List<String> inputs) {
        List<String> headers = new ArrayList<>(List.of("cosine similarity"));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < m.length; i++) {
            headers.add("#" + (i + 1));
            List<String> row = new ArrayList<>(List.of("#" + (i + 1) + " " + inputs.get(i)));
            for (double v : m[i]) {
                row.add(String.format(Locale.ROOT, "%.3f", v));
            }
            rows.add(row);
        }
        return Report.of("similarity", Table.of(headers, rows));
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.1f" : "%.4f", v);
    }
}
