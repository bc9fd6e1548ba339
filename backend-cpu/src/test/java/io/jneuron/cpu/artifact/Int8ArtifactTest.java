package io.jneuron.cpu.artifact;

import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.model.ModelFormatException;
import io.jneuron.core.shape.DType;
import io.jneuron.cpu.tensor.PackedMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** int8 rows survive the artifact byte for byte; a format-1 artifact holding int8 (the old layout) is refused. */
class Int8ArtifactTest {
    @TempDir
    Path tmp;

    @Test
    void int8RowsRoundTripAndOldLayoutIsRefused() throws Exception {
        int rows = 5;
        int cols = 40;
        float[] w = new float[rows * cols];
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        PackedMatrix m = PackedMatrix.pack(DType.INT8, rows, cols, w);
        Path file = tmp.resolve("a.jncpu");
        ArtifactWriter.write(file, "test", "ckpt", null, "shape",
                List.of(ArtifactWriter.Source.matrix("w", DType.INT8, rows, cols, () -> m)), ProgressListener.NONE);
        try (ArtifactReader r = ArtifactReader.open(file)) {
            PackedMatrix back = r.matrix("w");
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < cols; c++) {
                    assertEquals(m.get(i, c), back.get(i, c), "element " + i + "," + c);
                    // independent of the layout: the value is within half a step of the weight
                    assertTrue(Math.abs(back.get(i, c) - w[i * cols + c]) <= 0.5001 * maxAbs(w, i, cols) / 127);
                }
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        String key = "\"formatVersion\":" + ArtifactFormat.FORMAT_VERSION;
        int at = text.indexOf(key);
        assertTrue(at > 0, "manifest names its format version");
        bytes[at + key.length() - 1] = '1';
        Files.write(file, bytes);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ArtifactReader.open(file));
        assertTrue(e.getMessage().contains("re-export"), e.getMessage());
    }

    private static float maxAbs(float[] w, int row, int cols) {
        float max = 0;
        for (int c = 0; c < cols; c++) {
            max = Math.max(max, Math.abs(w[row * cols + c]));
        }
        return max;
    }
}
