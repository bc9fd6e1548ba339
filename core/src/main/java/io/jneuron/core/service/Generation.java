package io.jneuron.core.service;

import io.jneuron.core.export.CompiledModule;
import io.jneuron.core.generate.GenerationResult;
import io.jneuron.core.generate.GenerationSettings;
import io.jneuron.core.report.Report;
import io.jneuron.core.report.Table;
import io.jneuron.core.report.Table.Column;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What {@code generate} produced on {@code backend}: the generated rows and the timings. {@code streamed} says the
 * text was already shown as it came (to a token listener, or a live notebook output), so the headline leaves it out;
 * without a tokenizer a row shows its ids. {@code compiled} is the on-the-fly compile of a checkpoint (null when MODEL
 * was an exported model) and {@code exportMs} the time to get it. {@code chatPrompts} are the prompts the chat
 * template rendered (null without --chat), shown first when {@code showPrompt}. {@code settings} are the decoding
 * settings used and their sources (null when the caller did not resolve any).
 */
public record Generation(String backend, GenerationResult result, boolean streamed, CompiledModule compiled,
                         double exportMs, List<String> chatPrompts, boolean showPrompt, GenerationSettings settings)
        implements Report {
    /** The same generation, its text marked as shown (a magic shows it live). */
    public Generation shown() {
        return new Generation(backend, result, true, compiled, exportMs, chatPrompts, showPrompt, settings);
    }

    /** Row {@code i}'s text, or its generated ids when the model has no tokenizer. */
    public String text(int i) {
        GenerationResult.Row row = result.rows().get(i);
        if (row.text() != null) {
            return row.text();
        }
        return Arrays.stream(row.generatedIds()).mapToObj(String::valueOf).collect(Collectors.joining(","));
    }

    @Override
    public String headline() {
        StringBuilder sb = new StringBuilder();
        int n = streamed ? 0 : result.rows().size();
        if (showPrompt && chatPrompts != null && !streamed) {
            for (int i = 0; i < chatPrompts.size(); i++) {
                sb.append(i == 0 ? "" : "\n").append(chatPrompts.size() > 1 ? "[" + i + "] " : "")
                        .append("-- prompt rendered by the chat template:\n").append(chatPrompts.get(i)).append("\n");
            }
            sb.append("-- generated:\n");
        }
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : "\n").append(n > 1 ? "[" + i + "] " : "").append(text(i));
        }
        if (compiled != null) {
            sb.append(sb.length() == 0 ? "" : "\n").append(String.format(Locale.ROOT,
                    "compiled on the fly: cache %s in %.0f ms (%s)", compiled.cache(), exportMs, compiled.module()));
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    @Override
    public Table table() {
        GenerationResult.Timings t = result.timings();
        // One record: property / value lines, the decoding settings after the timings with their sources (user,
        // generation_config.json, tokenizer files or default).
        List<List<Object>> rows = new ArrayList<>();
        Object[][] timings = {{"backend", backend}, {"batch", result.batchSize()}, {"sequence", result.sequenceLength()},
            {"bucket", result.bucket()}, {"load ms", f(t.loadMs())}, {"TTFT ms", f(t.ttftMs())},
            {"prompt tokens", t.promptTokens()}, {"prefill ms", f(t.prefillMs())}, {"prefill tok/s", f(t.prefillTokS())},
            {"decode tokens", t.decodeTokens()}, {"decode ms", f(t.decodeMs())}, {"decode tok/s", f(t.decodeTokS())}};
        for (Object[] p : timings) {
            rows.add(Arrays.asList(p[0], p[1], null));
        }
        if (settings != null) {
            settings.settings().forEach((name, v) -> rows.add(Arrays.asList(name, GenerationSettings.show(v.value()),
                    v.source())));
        }
        return new Table(List.of(Column.text("property"), Column.text("value"), Column.text("source")), rows);
    }

    @Override
    public Map<String, Object> json() {
        Map<String, Object> o = Report.fields("backend", backend, "batch_size", result.batchSize(), "sequence_length",
                result.sequenceLength(), "bucket", result.bucket());
        if (chatPrompts != null) {
            o.put("chat_prompts", new ArrayList<Object>(chatPrompts));
        }
        if (settings != null) {
            o.put("generation", settings.json());
        }
        List<GenerationResult.Row> rows = result.rows();
        o.put("prompt_ids", rows.stream().map(r -> (Object) Report.list(r.promptIds())).toList());
        o.put("generated_ids", rows.stream().map(r -> (Object) Report.list(r.generatedIds())).toList());
        o.put("text", rows.stream().map(r -> (Object) r.text()).toList());
        o.put("finish_reason", rows.stream().map(r -> (Object) r.finishReason().toString()).toList());
        if (rows.stream().anyMatch(r -> !r.prefillTopLogits().isEmpty())) {
            // Through Float.toString, so a float logit prints as short as it is, not as its double widening.
            o.put("prefill_top_logits", rows.stream().map(r -> (Object) r.prefillTopLogits().stream().map(tl ->
                    (Object) Report.fields("id", tl.id(), "logit", Double.parseDouble(Float.toString(tl.logit()))))
                    .toList()).toList());
        }
        if (compiled != null) {
            // A checkpoint compiled on the fly: the compile cache's verdict, as export reports it.
            o.put("export", Report.fields("cache", compiled.cache(), "entry", compiled.entry(), "module",
                    compiled.module().toString()));
        }
        GenerationResult.Timings t = result.timings();
        Map<String, Object> timings = compiled == null ? new LinkedHashMap<>() : Report.fields("export_ms", exportMs);
        timings.putAll(Report.fields("load_ms", t.loadMs(), "ttft_ms", t.ttftMs(), "prefill_ms", t.prefillMs(),
                "decode_ms", t.decodeMs(), "prefill_tok_s", t.prefillTokS(), "decode_tok_s", t.decodeTokS()));
        o.put("timings", timings);
        return o;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
