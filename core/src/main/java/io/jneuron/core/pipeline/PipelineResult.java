package io.jneuron.core.pipeline;

import io.jneuron.core.report.Report;
import io.jneuron.core.report.Table;
import io.jneuron.core.report.Table.Column;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of a pipeline run: the outputs in input order and the timings ({@code load_ms}: export and
 * load, {@code run_ms}: tokenization, every batch and post-processing, {@code inputs_per_s}). Shown as a table of
 * the task's outputs (one row per input, entity or prediction), then a cosine-similarity matrix when several
 * sentences were embedded, then the timings; its JSON is the {@code --format json} document of docs/cli.md.
 *
 * @param inputs the input texts in order (question answering: the question)
 */
public record PipelineResult(String task, String backend, int batchSize, int sequenceLength, List<String> inputs,
                             List<PipelineOutput> outputs, Map<String, Double> timings) implements Report {
    public PipelineResult {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        timings = Map.copyOf(timings);
    }

    @Override
    public String headline() {
        return task;
    }

    @Override
    public Table table() {
        Table.Builder t;
        switch (task) {
            case "text-classification" -> {
                t = Table.builder(Column.text("input"), Column.text("label"), Column.number("score"));
                forEach(PipelineOutput.Classification.class, (in, c) -> t.row(in, c.label(), num(c.score())));
            }
            case "token-classification" -> {
                t = Table.builder(Column.text("input"), Column.text("entity"), Column.text("word"),
                        Column.number("score"), Column.number("start"), Column.number("end"));
                forEach(PipelineOutput.Entities.class, (in, es) -> es.entities().forEach(e -> t.row(in, e.entity(),
                        e.word(), num(e.score()), e.start(), e.end())));
            }
            case "fill-mask" -> {
                t = Table.builder(Column.text("input"), Column.text("token"), Column.number("score"),
                        Column.text("sequence"));
                forEach(PipelineOutput.FillMask.class, (in, f) -> f.predictions().forEach(p -> t.row(in, p.tokenStr(),
                        num(p.score()), p.sequence())));
            }
            case "question-answering" -> {
                t = Table.builder(Column.text("answer"), Column.number("score"), Column.number("start"),
                        Column.number("end"));
                forEach(PipelineOutput.Answer.class, (in, a) -> t.row(a.answer(), num(a.score()), a.start(), a.end()));
            }
            default -> {
                t = Table.builder(Column.text("input"), Column.number("tokens"), Column.number("dimensions"),
                        Column.text("embedding"));
                forEach(PipelineOutput.Embedding.class, (in, e) -> {
                    float[] v = e.embedding() != null ? e.embedding() : e.tokenEmbeddings()[0];
                    t.row(in, e.inputIds().length, v.length, String.format(Locale.ROOT, "[%.4f, %.4f, %.4f, ...]%s",
                            v[0], v[1], v[2], e.embedding() == null ? " (first token)" : ""));
                });
            }
        }
        return t.build();
    }

    /** The similarity matrix of several pooled embeddings, then the timings. */
    @Override
    public List<Report> sections() {
        List<Report> out = new ArrayList<>();
        if (outputs.size() > 1 && outputs.get(0) instanceof PipelineOutput.Embedding e && e.embedding() != null) {
            double[][] m = Similarity.cosineMatrix(Similarity.embeddings(this));
            List<Column> columns = new ArrayList<>(List.of(Column.text("cosine similarity")));
            List<List<Object>> rows = new ArrayList<>();
            for (int i = 0; i < m.length; i++) {
                columns.add(Column.number("#" + (i + 1)));
                List<Object> row = new ArrayList<>(List.of("#" + (i + 1) + " " + inputs.get(i)));
                for (double v : m[i]) {
                    row.add(String.format(Locale.ROOT, "%.3f", v));
                }
                rows.add(row);
            }
            out.add(Report.of("similarity", new Table(columns, rows)));
        }
        out.add(Report.of("timings", Table.builder(Column.text("backend"), Column.number("batch"),
                Column.number("sequence"), Column.number("load ms"), Column.number("run ms"), Column.number("inputs/s"))
                .row(backend, batchSize, sequenceLength, num(timings.get("load_ms")), num(timings.get("run_ms")),
                        num(timings.get("inputs_per_s"))).build()));
        return out;
    }

    /** {@code {"task", "backend", "batch_size", "sequence_length", "outputs": [...], "timings": {...}}}. */
    @Override
    public Object json() {
        return Report.fields("task", task, "backend", backend, "batch_size", batchSize, "sequence_length",
                sequenceLength, "outputs", outputs.stream().map(PipelineOutput::json).toList(), "timings",
                Report.fields("load_ms", timings.get("load_ms"), "run_ms", timings.get("run_ms"), "inputs_per_s",
                        timings.get("inputs_per_s")));
    }

    private <T extends PipelineOutput> void forEach(Class<T> type, java.util.function.BiConsumer<String, T> row) {
        for (int i = 0; i < outputs.size(); i++) {
            row.accept(inputs.get(i), type.cast(outputs.get(i)));
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.1f" : "%.4f", v);
    }
}
