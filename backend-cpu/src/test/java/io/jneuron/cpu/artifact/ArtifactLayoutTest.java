package io.jneuron.cpu.artifact;

import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.shape.DType;
import io.jneuron.cpu.tensor.PackedMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Matrices start on a 4 KiB page, vectors on 64 bytes, and every tensor reads back as written. */
class ArtifactLayoutTest {
    @TempDir
    Path tmp;

    @Test
    void matricesArePageAlignedAndRoundTrip() throws Exception {
        SplittableRandom rnd = new SplittableRandom(7);
        float[] v1 = random(rnd, 13);
        PackedMatrix a = PackedMatrix.pack(DType.BF16, 7, 40, random(rnd, 7 * 40));
        float[] v2 = random(rnd, 5);
        PackedMatrix b = PackedMatrix.pack(DType.INT8, 9, 72, random(rnd, 9 * 72));
        PackedMatrix c = PackedMatrix.pack(DType.FP32, 3, 33, random(rnd, 3 * 33));
        Path file = tmp.resolve("a.jncpu");
        long size = ArtifactWriter.write(file, "test", "ckpt", null, "shape", List.of(
                ArtifactWriter.Source.vector("v1", v1.length, () -> v1),
                ArtifactWriter.Source.matrix("a", DType.BF16, 7, 40, () -> a),
                ArtifactWriter.Source.vector("v2", v2.length, () -> v2),
                ArtifactWriter.Source.matrix("b", DType.INT8, 9, 72, () -> b),
                ArtifactWriter.Source.matrix("c", DType.FP32, 3, 33, () -> c)), ProgressListener.NONE);
        assertEquals(Files.size(file), size);
        try (ArtifactReader r = ArtifactReader.open(file)) {
            int matrices = 0;
            for (TensorEntry t : r.manifest().tensors()) {
                if (TensorEntry.MATRIX.equals(t.kind())) {
                    matrices++;
                    assertEquals(0, t.offset() % 4096, t.name() + " at " + t.offset());
                } else {
                    assertEquals(0, t.offset() % 64, t.name() + " at " + t.offset());
                }
                assertTrue(t.offset() + t.length() <= size, t.name() + " inside the file");
            }
            assertEquals(3, matrices);
            assertArrayEquals(v1, r.vector("v1"));
            assertArrayEquals(v2, r.vector("v2"));
            for (PackedMatrix m : List.of(a, b, c)) {
                String name = m == a ? "a" : m == b ? "b" : "c";
                PackedMatrix back = r.matrix(name);
                for (int i = 0; i < m.rows(); i++) {
                    for (int j = 0; j < m.cols(); j++) {
                        assertEquals(m.get(i, j), back.get(i, j), name + " element " + i + "," + j);
                    }
                }
            }
        }
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) rnd.nextGaussian();
        }
        return f;
    }
}
