/*
 * Benchmark-side runner for Jlama 0.8.4 (com.github.tjake:jlama-core), used as a peer to compare
 * jneuron's CPU runtime against. Not part of the jneuron build: bench/jlama/run.sh compiles and
 * runs it on Java 20+ with --add-modules jdk.incubator.vector.
 *
 * Benchmark mode (default): loads MODEL_DIR, runs --warmup untimed iterations and --iterations
 * timed ones of: prefill of a --prompt-len token prompt (one batchForward + choosing the first
 * token), then --new-tokens greedy decode steps (one forward + argmax each). Prints one line per
 * timed iteration:
 *   RESULT prefill_tokens=128 prefill_ms=... prefill_tok_s=... decode_tokens=64 decode_ms=...
 *          decode_tok_s=... peak_rss_mb=...
 *
 * Logits mode (--logits): no timing; for each --prompt-ids row runs prefill and greedy decode for
 * --new-tokens steps and prints ONE JSON document on stdout with the same schema as
 * backend-cpu/src/test/python/reference_decoder.py:
 *   {"rows": [{"prompt_ids": [...], "generated_ids": [...], "logits": [[vocab floats], ...]}]}
 * where logits[k] are the raw logits (before softmax) that chose generated_ids[k].
 */

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

public final class JlamaBench {

    private static final class Options {
        File modelDir;
        String dtype; // weight dtype Jlama holds in memory; null = as stored in the checkpoint
        DType workingQType = DType.F32;
        int threads = 2;
        int promptLen = 128;
        int newTokens = -1; // default: 64 in benchmark mode, 1 in logits mode
        int warmup = 2;
        int iterations = 1;
        boolean logits;
        List<int[]> prompts = new ArrayList<>();
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        if (o == null) {
            System.exit(2);
        }
        long t0 = System.nanoTime();
        AbstractModel model = load(o);
        long loadMs = (System.nanoTime() - t0) / 1_000_000;
        int vocab = model.getConfig().vocabularySize;
        DType stored = model.getWeights().getModelDType();
        System.err.printf(Locale.ROOT,
                "jlama: loaded %s in %d ms: type=%s stored=%s in-memory=%s working=%s threads=%d "
                        + "tensor-ops=%s vocab=%d%n",
                o.modelDir, loadMs, model.getModelType(), stored,
                o.dtype == null ? stored : o.dtype, model.getWorkingDType(), o.threads,
                com.github.tjake.jlama.tensor.operations.TensorOperationsProvider.get().name(),
                vocab);
        for (int[] p : o.prompts) {
            for (int id : p) {
                if (id < 0 || id >= vocab) {
                    System.err.println("jlama: prompt id " + id + " is outside [0, " + vocab + ")");
                    System.exit(2);
                }
            }
        }
        if (o.logits) {
            logitsMode(model, o);
        } else {
            benchMode(model, o, vocab);
        }
        model.close();
        System.exit(0); // Jlama's executor threads are not daemons
    }

    private static AbstractModel load(Options o) throws IOException {
        Optional<DType> quant = Optional.empty();
        if (o.dtype != null) {
            DType want = DType.valueOf(o.dtype);
            if (want != storedDType(o.modelDir)) {
                quant = Optional.of(want); // Jlama converts the weights while loading
            }
        }
        return ModelSupport.loadModel(o.modelDir, null, DType.F32, o.workingQType, quant,
                Optional.of(o.threads));
    }

    /** The most common tensor dtype of the checkpoint's (first) safetensors file. */
    static DType storedDType(File dir) throws IOException {
        Path file = dir.toPath().resolve("model.safetensors");
        if (!Files.isRegularFile(file)) {
            Path index = dir.toPath().resolve("model.safetensors.index.json");
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("\"weight_map\"\\s*:\\s*\\{\\s*\"[^\"]*\"\\s*:\\s*\"([^\"/]+)\"")
                    .matcher(Files.readString(index));
            if (!m.find()) {
                throw new IOException(index + ": no weight_map entry");
            }
            file = dir.toPath().resolve(m.group(1));
        }
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer len = java.nio.ByteBuffer.allocate(8)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ch.read(len, 0);
            long n = len.getLong(0);
            if (n <= 0 || n > 100_000_000 || n + 8 > ch.size()) {
                throw new IOException(file + ": bad safetensors header length " + n);
            }
            java.nio.ByteBuffer hdr = java.nio.ByteBuffer.allocate((int) n);
            ch.read(hdr, 8);
            String json = new String(hdr.array(), java.nio.charset.StandardCharsets.UTF_8);
            java.util.Map<String, Integer> counts = new java.util.HashMap<>();
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("\"dtype\"\\s*:\\s*\"(\\w+)\"").matcher(json);
            while (m.find()) {
                counts.merge(m.group(1), 1, Integer::sum);
            }
            String best = counts.entrySet().stream().max(java.util.Map.Entry.comparingByValue())
                    .map(java.util.Map.Entry::getKey)
                    .orElseThrow(() -> new IOException("no tensors in " + dir));
            return DType.valueOf(best);
        }
    }

    /** Result of one prefill + greedy decode. */
    private static final class Run {
        long prefillNanos;
        long decodeNanos;
        int decodeSteps;
        int[] generated;
        List<float[]> logits = new ArrayList<>();
    }

    private static Run generate(AbstractModel model, int[] prompt, int newTokens, boolean keepLogits) {
        int vocab = model.getConfig().vocabularySize;
        Run r = new Run();
        r.generated = new int[newTokens];
        KvBufferCache cache = new KvBufferCache(model);
        try (KvBufferCache.KvBuffer kv = cache.getEphemeralKvBuffer();
                AbstractTensor logits = model.makeDenseTensor(1, vocab)) {
            if (newTokens == 0) {
                return r;
            }
            long t0 = System.nanoTime();
            AbstractTensor out = model.batchForward(prompt, 0, kv);
            int next;
            try (AbstractTensor last = out.slice(out.shape().first() - 1)) {
                next = model.sample(last, 0.0f, 0.0f, logits); // temperature 0: argmax
            }
            out.close();
            long t1 = System.nanoTime();
            r.prefillNanos = t1 - t0;
            r.generated[0] = next;
            if (keepLogits) {
                r.logits.add(copy(logits, vocab));
            }
            long d0 = System.nanoTime();
            for (int i = 1; i < newTokens + (keepLogits ? 0 : 1); i++) {
                AbstractTensor o = model.forward(next, prompt.length + i - 1, kv, Optional.empty());
                next = model.sample(o, 0.0f, 0.0f, logits);
                o.close();
                kv.incrementContextPosition();
                if (i < newTokens) {
                    r.generated[i] = next;
                }
                if (keepLogits) {
                    r.logits.add(copy(logits, vocab));
                }
                r.decodeSteps++;
            }
            r.decodeNanos = System.nanoTime() - d0;
        } finally {
            cache.close();
        }
        return r;
    }

    private static float[] copy(AbstractTensor logits, int vocab) {
        float[] f = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            f[i] = logits.get(0, i);
        }
        return f;
    }

    private static void benchMode(AbstractModel model, Options o, int vocab) throws IOException {
        int[] prompt = o.prompts.isEmpty() ? defaultPrompt(o.promptLen, vocab) : o.prompts.get(0);
        int ctx = model.getConfig().contextLength;
        if (prompt.length + o.newTokens + 1 > ctx) {
            System.err.printf("jlama: prompt %d + %d new tokens exceeds the context length %d%n",
                    prompt.length, o.newTokens, ctx);
            System.exit(2);
        }
        for (int i = 0; i < o.warmup; i++) {
            generate(model, prompt, o.newTokens, false);
        }
        for (int i = 0; i < o.iterations; i++) {
            // decode steps: newTokens forward passes after the prefill (each yields one token)
            Run r = generate(model, prompt, o.newTokens, false);
            double prefillMs = r.prefillNanos / 1e6;
            double decodeMs = r.decodeNanos / 1e6;
            System.out.printf(Locale.ROOT,
                    "RESULT prefill_tokens=%d prefill_ms=%.2f prefill_tok_s=%.2f decode_tokens=%d "
                            + "decode_ms=%.2f decode_tok_s=%.2f peak_rss_mb=%.1f first_ids=%s%n",
                    prompt.length, prefillMs, prompt.length / (prefillMs / 1e3), r.decodeSteps,
                    decodeMs, r.decodeSteps / (decodeMs / 1e3), peakRssMb(),
                    head(r.generated, 8));
        }
    }

    private static void logitsMode(AbstractModel model, Options o) {
        int vocab = model.getConfig().vocabularySize;
        List<int[]> prompts = o.prompts.isEmpty()
                ? List.of(defaultPrompt(o.promptLen, vocab)) : o.prompts;
        StringBuilder sb = new StringBuilder(1 << 20);
        sb.append("{\"rows\":[");
        for (int p = 0; p < prompts.size(); p++) {
            int[] prompt = prompts.get(p);
            Run r = generate(model, prompt, o.newTokens, true);
            if (p > 0) {
                sb.append(',');
            }
            sb.append("{\"prompt_ids\":").append(ints(prompt));
            sb.append(",\"generated_ids\":").append(ints(r.generated));
            sb.append(",\"logits\":[");
            for (int s = 0; s < r.logits.size(); s++) {
                if (s > 0) {
                    sb.append(',');
                }
                float[] l = r.logits.get(s);
                sb.append('[');
                for (int i = 0; i < l.length; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    float v = l[i];
                    if (Float.isNaN(v) || Float.isInfinite(v)) {
                        sb.append("null");
                    } else {
                        sb.append(v);
                    }
                }
                sb.append(']');
            }
            sb.append("]}");
        }
        sb.append("]}");
        System.out.println(sb);
    }

    static int[] defaultPrompt(int len, int vocab) {
        // deterministic ids spread over the vocabulary, avoiding the first few (special) ids
        int[] p = new int[len];
        int span = Math.max(1, vocab - 3);
        for (int i = 0; i < len; i++) {
            p[i] = 3 + (int) (((long) i * 7919 + 13) % span);
        }
        return p;
    }

    private static String ints(int[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(a[i]);
        }
        return sb.append(']').toString();
    }

    private static String head(int[] a, int n) {
        int[] h = new int[Math.min(n, a.length)];
        System.arraycopy(a, 0, h, 0, h.length);
        return ints(h).replace(" ", "");
    }

    private static double peakRssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                String[] f = line.trim().split("\\s+");
                return Long.parseLong(f[1]) / 1024.0;
            }
        }
        return -1;
    }

    private static Options parse(String[] args) {
        Options o = new Options();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--dtype" -> {
                        o.dtype = args[++i].toUpperCase(Locale.ROOT);
                        if (!o.dtype.equals("F32") && !o.dtype.equals("BF16")
                                && !o.dtype.equals("F16") && !o.dtype.equals("Q8")
                                && !o.dtype.equals("Q4")) {
                            throw new IllegalArgumentException("--dtype " + o.dtype
                                    + ": expected F32 or BF16");
                        }
                        if (o.dtype.equals("Q8")) {
                            o.dtype = "I8";
                        }
                    }
                    case "--working-qtype" -> o.workingQType = DType.valueOf(args[++i]);
                    case "--threads" -> o.threads = Integer.parseInt(args[++i]);
                    case "--prompt-len" -> o.promptLen = Integer.parseInt(args[++i]);
                    case "--new-tokens", "--max-new-tokens" -> o.newTokens = Integer.parseInt(args[++i]);
                    case "--warmup" -> o.warmup = Integer.parseInt(args[++i]);
                    case "--iterations" -> o.iterations = Integer.parseInt(args[++i]);
                    case "--logits" -> o.logits = true;
                    case "--prompt-ids" -> {
                        String[] parts = args[++i].split(",");
                        List<Integer> ids = new ArrayList<>();
                        for (String s : parts) {
                            if (!s.isBlank()) {
                                ids.add(Integer.parseInt(s.trim()));
                            }
                        }
                        if (ids.isEmpty()) {
                            throw new IllegalArgumentException("--prompt-ids needs at least one id");
                        }
                        o.prompts.add(ids.stream().mapToInt(Integer::intValue).toArray());
                    }
                    default -> {
                        if (a.startsWith("--") || o.modelDir != null) {
                            throw new IllegalArgumentException("unknown argument " + a);
                        }
                        o.modelDir = new File(a);
                    }
                }
            }
            if (o.modelDir == null) {
                throw new IllegalArgumentException("missing MODEL_DIR");
            }
            if (!new File(o.modelDir, "config.json").isFile()) {
                throw new IllegalArgumentException(o.modelDir + " has no config.json");
            }
            if (o.newTokens < 0) {
                o.newTokens = o.logits ? 1 : 64;
            }
            if (o.threads < 1 || o.promptLen < 1 || o.newTokens < 0 || o.warmup < 0
                    || o.iterations < 1) {
                throw new IllegalArgumentException("counts must be positive");
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            System.err.println("jlama: option " + args[args.length - 1] + " needs a value");
            return null;
        } catch (IllegalArgumentException e) {
            System.err.println("jlama: " + e.getMessage());
            System.err.println("usage: JlamaBench MODEL_DIR [--dtype F32|BF16] [--threads 2] "
                    + "[--prompt-len 128] [--new-tokens 64] [--warmup 2] [--iterations 1] "
                    + "[--logits] [--prompt-ids 1,2,3 ...]");
            return null;
        }
        return o;
    }
}
