package io.jneuron.core.generate;

import io.jneuron.core.NeuronKernelException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerTest {
    private static final float[] FIVE = {2.0f, 1.0f, 0.5f, 0.0f, -1.0f};

    @Test
    void greedyPicksArgmaxAndLowestIdOnTies() {
        Sampler greedy = new Sampler(SamplingParams.GREEDY, 1);
        assertEquals(0, greedy.sample(0, FIVE));
        assertEquals(1, greedy.sample(0, new float[] {1f, 3f, 3f, 2f}));
        assertEquals(2, greedy.sample(0, new float[] {Float.NaN, -1f, 5f, Float.NaN}));
        assertEquals(0, Sampler.argmax(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}));
    }

    @Test
    void seededSamplingIsReproducibleAndSeedsDiffer() {
        float[] logits = randomLogits(1000, 1.0, 7);
        int[] a = draws(SamplingParams.sample(1.0, 0, 1.0, 42), logits, 200);
        int[] b = draws(SamplingParams.sample(1.0, 0, 1.0, 42), logits, 200);
        int[] c = draws(SamplingParams.sample(1.0, 0, 1.0, 43), logits, 200);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c), "seeds 42 and 43 drew the same 200 tokens");
    }

    @Test
    void streamsArePinnedSoSeedsReproduceAcrossVersionsAndPlatforms() {
        // Golden values: a change here breaks every user's recorded seed. Top-k, top-p and the plain
        // full-vocabulary path each take a different route through the sampler.
        assertArrayEquals(new int[] {1, 0, 0, 3, 0, 1, 0, 0, 0, 2},
                draws(SamplingParams.sample(1.0, 0, 1.0, 1), FIVE, 10));
        assertArrayEquals(new int[] {1, 0, 0, 2, 0, 0, 0, 0, 0, 2},
                draws(SamplingParams.sample(1.0, 3, 1.0, 1), FIVE, 10));
        assertArrayEquals(new int[] {0, 0, 0, 1, 0, 0, 0, 0, 0, 1},
                draws(SamplingParams.sample(0.7, 0, 0.75, 1), FIVE, 10));
        assertArrayEquals(new int[] {0, 4, 0, 1, 0, 0, 0, 2, 0, 4},
                draws(SamplingParams.sample(2.0, 0, 1.0, 123456789L), FIVE, 10));
        float[] big = new float[1000]; // plain arithmetic, so the logits themselves are the same everywhere
        for (int i = 0; i < big.length; i++) {
            big[i] = ((i * 7919) % 1000) / 100f - 5f;
        }
        assertArrayEquals(new int[] {754, 371, 445, 952, 210, 595, 458, 198, 311, 889},
                draws(SamplingParams.sample(1.0, 0, 0.9, 1), big, 10));
        assertArrayEquals(new int[] {494, 247, 568, 778, 284, 531, 568, 284, 926, 136},
                draws(SamplingParams.sample(0.8, 20, 0.9, 1), big, 10));
        assertArrayEquals(new int[] {754, 371, 445, 952, 210, 595, 458, 198, 312, 889},
                draws(SamplingParams.sample(1.0, 0, 1.0, 1), big, 10));
    }

    @Test
    void eachRowHasItsOwnStream() {
        float[] logits = randomLogits(500, 1.0, 3);
        SamplingParams p = SamplingParams.sample(0.9, 50, 0.95, 5);
        Sampler alone = new Sampler(p, 3);
        Sampler mixed = new Sampler(p, 3);
        for (int i = 0; i < 100; i++) {
            mixed.sample(0, logits); // other rows drawing in between must not shift row 2
            mixed.sample(1, logits);
            assertEquals(alone.sample(2, logits), mixed.sample(2, logits));
        }
        Sampler two = new Sampler(p, 2);
        int[] row0 = IntStream.range(0, 50).map(i -> two.sample(0, logits)).toArray();
        int[] row1 = IntStream.range(0, 50).map(i -> two.sample(1, logits)).toArray();
        assertFalse(Arrays.equals(row0, row1), "rows 0 and 1 must not share a stream");
    }

    @Test
    void topKOneAndTinyTopPEqualGreedy() {
        for (int seed = 0; seed < 20; seed++) {
            float[] logits = randomLogits(32000, 2.0, seed);
            logits[seed * 7] = logits[Sampler.argmax(logits)]; // a tie: the lower id must win
            int greedy = Sampler.argmax(logits);
            assertEquals(greedy, new Sampler(SamplingParams.sample(1.5, 1, 1.0, seed), 1).sample(0, logits));
            assertEquals(greedy, new Sampler(SamplingParams.sample(1.5, 0, 1e-9, seed), 1).sample(0, logits));
            assertEquals(greedy, new Sampler(SamplingParams.sample(1.5, 40, 1e-9, seed), 1).sample(0, logits));
        }
    }

    @Test
    void temperatureReshapesTheDistributionAsSoftmaxSays() {
        int n = 20000;
        double previousTopShare = 1.0;
        for (double t : new double[] {0.5, 1.0, 2.0}) {
            int[] counts = histogram(draws(SamplingParams.sample(t, 0, 1.0, 42), FIVE, n), FIVE.length);
            double[] expected = softmax(FIVE, t, FIVE.length);
            // df = 4: P(chi2 > 30) is about 5e-6; at a fixed seed the outcome is fixed anyway.
            assertTrue(chiSquare(counts, expected, n) < 30, "temperature " + t + ": " + Arrays.toString(counts));
            double topShare = counts[0] / (double) n;
            assertTrue(topShare < previousTopShare, "a higher temperature must flatten the distribution");
            previousTopShare = topShare;
        }
    }

    @Test
    void topKKeepsTheKBestRenormalised() {
        int n = 20000;
        int[] counts = histogram(draws(SamplingParams.sample(1.0, 3, 1.0, 9), FIVE, n), FIVE.length);
        assertEquals(0, counts[3] + counts[4]);
        double[] expected = softmax(FIVE, 1.0, 3);
        assertTrue(chiSquare(Arrays.copyOf(counts, 3), expected, n) < 25, Arrays.toString(counts));
    }

    @Test
    void topPKeepsTheSmallestPrefixReachingP() {
        double[] p = softmax(FIVE, 1.0, FIVE.length); // about 0.61, 0.22, 0.14, 0.08, 0.03
        int[] counts = histogram(draws(SamplingParams.sample(1.0, 0, p[0] + p[1] * 0.5, 4), FIVE, 5000), 5);
        assertTrue(counts[0] > 0 && counts[1] > 0, Arrays.toString(counts));
        assertEquals(0, counts[2] + counts[3] + counts[4], Arrays.toString(counts));
        double[] kept = {p[0] / (p[0] + p[1]), p[1] / (p[0] + p[1])};
        int[] many = histogram(draws(SamplingParams.sample(1.0, 0, p[0] + p[1] * 0.5, 8), FIVE, 20000), 5);
        assertTrue(chiSquare(Arrays.copyOf(many, 2), kept, 20000) < 20, Arrays.toString(many)); // df = 1
        counts = histogram(draws(SamplingParams.sample(1.0, 0, p[0] * 0.99, 4), FIVE, 500), 5);
        assertEquals(500, counts[0], "a nucleus reached by the first token holds only it");
    }

    @Test
    void largeVocabularyNucleusMatchesAFullSort() {
        float[] logits = randomLogits(32000, 3.0, 11);
        double topP = 0.9;
        Set<Integer> nucleus = referenceNucleus(logits, topP);
        assertTrue(nucleus.size() > 512, "the boundary must lie deep in the vocabulary, got " + nucleus.size());
        Sampler s = new Sampler(SamplingParams.sample(1.0, 0, topP, 1), 1);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            int id = s.sample(0, logits);
            assertTrue(nucleus.contains(id), "token " + id + " is outside the nucleus");
            seen.add(id);
        }
        assertTrue(seen.size() > 100, "sampling should spread over the nucleus, saw " + seen.size());
    }

    @Test
    void topKThenTopPOnALargeVocabularyStaysInsideBoth() {
        float[] logits = randomLogits(32000, 3.0, 12);
        Set<Integer> top40 = referenceNucleus(logits, 1.0, 40);
        Set<Integer> nucleus = referenceNucleus(logits, 0.5, 40); // top_p applies to the renormalised top-k
        assertTrue(nucleus.size() > 1 && nucleus.size() < 40, "nucleus of " + nucleus.size());
        Sampler s = new Sampler(SamplingParams.sample(1.0, 40, 0.5, 3), 1);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            int id = s.sample(0, logits);
            assertTrue(top40.contains(id) && nucleus.contains(id), "token " + id);
            seen.add(id);
        }
        assertEquals(nucleus, seen);
    }

    @Test
    void aFlatDistributionKeepsTheLowestIdsOfTheNucleus() {
        float[] flat = new float[1000]; // every token ties: the nucleus is the lowest 500 ids
        Sampler s = new Sampler(SamplingParams.sample(1.0, 0, 0.5, 2), 1);
        int[] counts = new int[1000];
        for (int i = 0; i < 5000; i++) {
            counts[s.sample(0, flat)]++;
        }
        assertEquals(0, Arrays.stream(counts, 500, 1000).sum());
        assertTrue(Arrays.stream(counts, 0, 500).filter(c -> c > 0).count() > 450);
    }

    @Test
    void deterministicExpIsAccurate() {
        assertEquals(1.0, DeterministicExp.exp(0.0));
        assertEquals(0.0, DeterministicExp.exp(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, DeterministicExp.exp(Double.NaN));
        assertEquals(0.0, DeterministicExp.exp(-800));
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 100_000; i++) {
            double x = -rnd.nextDouble() * (i % 2 == 0 ? 1 : 700);
            double exact = StrictMath.exp(x);
            assertEquals(exact, DeterministicExp.exp(x), exact * 1e-14, "x = " + x);
        }
    }

    @Test
    void paramsAreValidatedWithClearMessages() {
        assertMessage("temperature must be a finite number > 0, got 0.0", () -> SamplingParams.sample(0, 0, 1, 0));
        assertMessage("got -1.0", () -> SamplingParams.sample(-1, 0, 1, 0));
        assertMessage("got NaN", () -> SamplingParams.sample(Double.NaN, 0, 1, 0));
        assertMessage("got Infinity", () -> SamplingParams.sample(Double.POSITIVE_INFINITY, 0, 1, 0));
        assertMessage("top_k must be >= 0 (0 turns it off), got -1", () -> SamplingParams.sample(1, -1, 1, 0));
        assertMessage("top_p must be in (0, 1] (1 turns it off), got 0.0", () -> SamplingParams.sample(1, 0, 0, 0));
        assertMessage("got 1.5", () -> SamplingParams.sample(1, 0, 1.5, 0));
        assertMessage("got NaN", () -> SamplingParams.sample(1, 0, Double.NaN, 0));
        assertTrue(SamplingParams.GREEDY.greedy());
    }

    // ---- helpers ----

    private static void assertMessage(String part, Runnable r) {
        NeuronKernelException e = assertThrows(NeuronKernelException.class, r::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    static float[] randomLogits(int vocab, double scale, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] out = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            out[i] = (float) (gaussian(rnd) * scale);
        }
        return out;
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = 1.0 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    private static int[] draws(SamplingParams p, float[] logits, int n) {
        Sampler s = new Sampler(p, 1);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = s.sample(0, logits);
        }
        return out;
    }

    private static int[] histogram(int[] ids, int vocab) {
        int[] counts = new int[vocab];
        for (int id : ids) {
            counts[id]++;
        }
        return counts;
    }

    /** Exact softmax(logits / t) over the first {@code k} entries (FIVE is sorted descending). */
    private static double[] softmax(float[] logits, double t, int k) {
        double[] p = new double[k];
        double z = 0;
        for (int i = 0; i < k; i++) {
            p[i] = Math.exp(logits[i] / t);
            z += p[i];
        }
        for (int i = 0; i < k; i++) {
            p[i] /= z;
        }
        return p;
    }

    private static double chiSquare(int[] counts, double[] p, int n) {
        double chi = 0;
        for (int i = 0; i < p.length; i++) {
            double e = n * p[i];
            chi += (counts[i] - e) * (counts[i] - e) / e;
        }
        return chi;
    }

    private static Set<Integer> referenceNucleus(float[] logits, double topP) {
        return referenceNucleus(logits, topP, logits.length);
    }

    /** Top-k then nucleus by a full sort, independent of the sampler's selection and binning. */
    private static Set<Integer> referenceNucleus(float[] logits, double topP, int topK) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < logits.length; i++) {
            ids.add(i);
        }
        ids.sort(Comparator.<Integer>comparingDouble(i -> -logits[i]).thenComparingInt(i -> i));
        ids = ids.subList(0, topK);
        double max = logits[ids.get(0)];
        double z = 0;
        for (int id : ids) {
            z += Math.exp(logits[id] - max);
        }
        Set<Integer> nucleus = new HashSet<>();
        double cum = 0;
        for (int id : ids) {
            nucleus.add(id);
            cum += Math.exp(logits[id] - max);
            if (cum >= topP * z * (1 + 1e-9)) { // a hair generous so rounding cannot shrink it
                break;
            }
        }
        return nucleus;
    }
}
