package io.jneuron.core.pipeline;

import java.util.List;

/** Cosine similarities between sentence embeddings, for similarity matrices and nearest-sentence search. */
public final class Similarity {
    private Similarity() {
    }

    /** {@code m[i][j] = cos(v_i, v_j)}. */
    public static double[][] cosineMatrix(List<float[]> v) {
        double[][] m = new double[v.size()][v.size()];
        for (int i = 0; i < v.size(); i++) {
            for (int j = 0; j < v.size(); j++) {
                m[i][j] = cosine(v.get(i), v.get(j));
            }
        }
        return m;
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.max(Math.sqrt(na * nb), 1e-12);
    }

    /** The embeddings of a feature-extraction result, in input order (pooled outputs only). */
    public static List<float[]> embeddings(PipelineResult r) {
        return r.outputs().stream().map(o -> ((PipelineOutput.Embedding) o).embedding()).toList();
    }
}
