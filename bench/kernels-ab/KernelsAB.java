import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Decode-shaped products (one token through every projection of a ~110M Llama, as KernelBench; with
 * {@code -Djneuron.bench.tokens=N}, N tokens at once, prefill-shaped) of several
 * source trees in one JVM, each tree's classes in its own class loader, rounds interleaved (order rotated
 * each round): on a shared machine separate processes see different load, one process sees the same.
 * Prints per tree the median ms per pass over every product (a token's, in decode) and the median per-round
 * speed ratio to the first tree, and checks the trees' outputs agree. Run by bench/kernels-ab.sh; not a test.
 */
public final class KernelsAB {
    private static final int HIDDEN = 768;
    private static final int LAYERS = 12;
    private static final int INTER = 2048;
    private static final int VOCAB = 32000;
    /** Tokens per product: 1 is decode; e.g. 128 (-Djneuron.bench.tokens=128) makes the products prefill-shaped. */
    private static final int TOKENS = Integer.getInteger("jneuron.bench.tokens", 1);
    private static final int PASSES = TOKENS == 1 ? 8 : 1;

    public static void main(String[] args) throws Throwable {
        int rounds = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        String dtype = args[2];
        List<String> trees = Arrays.asList(args).subList(3, args.length);
        int n = trees.size();
        int xs = (INTER + 31) / 32 * 32;
        float[] x = new float[TOKENS * xs];
        SplittableRandom xr = new SplittableRandom(1);
        for (int t = 0; t < TOKENS; t++) {
            for (int i = 0; i < HIDDEN; i++) {
                x[t * xs + i] = (float) xr.nextGaussian();
            }
        }
        float[] out = new float[TOKENS * VOCAB];
        Tree[] t = new Tree[n];
        for (int v = 0; v < n; v++) {
            t[v] = new Tree(Path.of(trees.get(v)), dtype, threads);
        }
        float[][] first = new float[n][];
        for (int warm = 0; warm < 3; warm++) {
            for (int v = 0; v < n; v++) {
                t[v].token(x, xs, out);
                first[v] = out.clone();
            }
        }
        for (int v = 1; v < n; v++) {
            double d = 0;
            for (int i = 0; i < TOKENS * VOCAB; i++) {
                d = Math.max(d, Math.abs(first[v][i] - first[0][i]));
            }
            System.out.printf(Locale.ROOT, "max |output difference| %s vs %s: %.2e%n", trees.get(v), trees.get(0), d);
        }
        double[][] ms = new double[n][rounds];
        double[][] cpu = new double[n][rounds];
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < n; k++) {
                int v = (k + r) % n;
                long c0 = mx.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                for (int p = 0; p < PASSES; p++) {
                    t[v].token(x, xs, out);
                }
                ms[v][r] = (System.nanoTime() - t0) / 1e6 / PASSES;
                cpu[v][r] = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / PASSES;
            }
        }
        for (int v = 0; v < n; v++) {
            double[] ratio = new double[rounds];
            double[] cpuRatio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = ms[0][r] / ms[v][r];
                cpuRatio[r] = cpu[0][r] / cpu[v][r];
            }
            System.out.printf(Locale.ROOT, "%-5s %-30s %7.2f ms/pass (min %.2f)  speed vs first %.2fx", dtype,
                    trees.get(v), median(ms[v]), Arrays.stream(ms[v]).min().orElse(0), median(ratio));
            // With 1 thread every product runs on this thread: its CPU time leaves out the time other
            // processes held the core, so on a busy machine this ratio is the steadier one.
            System.out.printf(Locale.ROOT, threads == 1 ? "  (CPU time %.2f ms, speed %.2fx)%n" : "%n",
                    median(cpu[v]), median(cpuRatio));
        }
        System.exit(0); // the trees' worker threads
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** One tree's Kernels.matmul, Parallel and packed weights, reached through its own class loader. */
    private static final class Tree {
        private final MethodHandle matmul;
        private final Object par;
        private final List<Object> weights = new ArrayList<>();
        private final List<Integer> rows = new ArrayList<>();

        Tree(Path root, String dtype, int threads) throws Throwable {
            String build = System.getProperty("build", "target-bench");
            List<URL> urls = new ArrayList<>();
            urls.add(root.resolve("backend-cpu/" + build + "/classes/").toUri().toURL());
            urls.add(root.resolve("core/" + build + "/classes/").toUri().toURL());
            for (String p : Files.readString(root.resolve("backend-cpu/" + build + "/bench.classpath")).trim().split(":")) {
                urls.add(Path.of(p).toUri().toURL());
            }
            ClassLoader cl = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
            Class<?> pm = cl.loadClass("io.jneuron.cpu.tensor.PackedMatrix");
            Class<?> dt = cl.loadClass("io.jneuron.core.shape.DType");
            Class<?> pa = cl.loadClass("io.jneuron.cpu.tensor.Parallel");
            Class<?> k = cl.loadClass("io.jneuron.cpu.tensor.Kernels");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            matmul = lookup.findStatic(k, "matmul", MethodType.methodType(void.class, pm, float[].class, int.class,
                    int.class, float[].class, int.class, pa));
            par = pa.getConstructor(int.class).newInstance(threads);
            MethodHandle pack = lookup.findStatic(pm, "pack", MethodType.methodType(pm, dt, int.class, int.class,
                    float[].class));
            Object d = dt.getMethod("parse", String.class).invoke(null, dtype);
            SplittableRandom rnd = new SplittableRandom(7); // the same weights in every tree
            for (int l = 0; l <= LAYERS; l++) {
                int[][] shapes = l < LAYERS
                        ? new int[][] {{3 * HIDDEN, HIDDEN}, {HIDDEN, HIDDEN}, {2 * INTER, HIDDEN}, {HIDDEN, INTER}}
                        : new int[][] {{VOCAB, HIDDEN}};
                for (int[] s : shapes) {
                    float[] w = new float[s[0] * s[1]];
                    for (int i = 0; i < w.length; i++) {
                        w[i] = (float) (rnd.nextGaussian() * 0.02);
                    }
                    weights.add(pack.invoke(d, s[0], s[1], w));
                    rows.add(s[0]);
                }
            }
        }

        void token(float[] x, int xs, float[] out) throws Throwable {
            for (int i = 0; i < weights.size(); i++) {
                matmul.invoke(weights.get(i), x, xs, TOKENS, out, (int) rows.get(i), par);
            }
        }
    }
}
