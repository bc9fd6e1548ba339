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
    public Generation(String backend, GenerationResult result, boolean streamed, CompiledModule compiled, double exportMs) {
        this(backend, result, streamed, compiled, exportMs, null, false, null);
    }

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
        StringBuilder sb = new StringBuilder();
        for (int id : row.generatedIds()) {
            sb.append(sb.length() == 0 ? "" : ",").append(id);
        }
        return sb.toString();
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
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("backend", backend);
        o.put("batch_size", result.batchSize());
        o.put("sequence_length", result.sequenceLength());
        o.put("bucket", result.bucket());
        if (chatPrompts != null) {
            o.put("chat_prompts", new ArrayList<Object>(chatPrompts));
        }
        List<Object> prompts = new ArrayList<>();
        List<Object> generated = new ArrayList<>();
        List<Object> texts = new ArrayList<>();
        List<Object> finish = new ArrayList<>();
        List<Object> tops = new ArrayList<>();
        boolean anyTops = false;
        for (GenerationResult.Row row : result.rows()) {
            prompts.add(ids(row.promptIds()));
            generated.add(ids(row.generatedIds()));
            texts.add(row.text());
            finish.add(row.finishReason().toString());
            List<Object> top = new ArrayList<>();
            for (GenerationResult.TokenLogit tl : row.prefillTopLogits()) {
                // Through Float.toString, so a float logit prints as short as it is, not as its double widening.
                top.add(new LinkedHashMap<String, Object>(Map.of("id", tl.id(), "logit",
                        Double.parseDouble(Float.toString(tl.logit())))));
            }
            tops.add(top);
            anyTops |= !top.isEmpty();
        }
        if (settings != null) {
            o.put("generation", settings.json());
        }
        o.put("prompt_ids", prompts);
        o.put("generated_ids", generated);
        o.put("text", texts);
        o.put("finish_reason", finish);
        if (anyTops) {
            o.put("prefill_top_logits", tops);
        }
        GenerationResult.Timings t = result.timings();
        if (compiled != null) {
            // A checkpoint compiled on the fly: the compile cache's verdict, as export reports it.
            Map<String, Object> export = new LinkedHashMap<>();
            export.put("cache", compiled.cache());
            export.put("entry", compiled.entry());
            export.put("module", compiled.module().toString());
            o.put("export", export);
        }
        Map<String, Object> tim = new LinkedHashMap<>();
        if (compiled != null) {
            tim.put("export_ms", exportMs);
        }
        tim.put("load_ms", t.loadMs());
        tim.put("ttft_ms", t.ttftMs());
        tim.put("prefill_ms", t.prefillMs());
        tim.put("decode_ms", t.decodeMs());
        tim.put("prefill_tok_s", t.prefillTokS());
        tim.put("decode_tok_s", t.decodeTokS());
        o.put("timings", tim);
        return o;
    }

    private static List<Object> ids(int[] ids) {
        List<Object> l = new ArrayList<>(ids.length);
        for (int id : ids) {
            l.add(id);
        }
        return l;
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
