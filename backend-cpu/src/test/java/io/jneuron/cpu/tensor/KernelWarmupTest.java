package io.jneuron.cpu.tensor;

import io.jneuron.core.shape.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelWarmupTest {
    /**
     * The warm-up must profile the kernels on storage of the classes a loaded model's weights have, or C2
     * compiles the first real products for the wrong ones (on JDK 20+ a segment over allocated memory is not
     * the class of one over a mapping). A model's weights are mapped from its artifact, as here.
     */
    @Test
    void warmupStorageIsOfTheClassesALoadedArtifactHas(@TempDir Path dir) throws IOException {
        for (DType dtype : DType.values()) {
            int rows = 8;
            int cols = 2048;
            float[] w = new float[rows * cols];
            for (int i = 0; i < w.length; i++) {
                w[i] = (i % 11 - 5) / 16f;
            }
            PackedMatrix packed = PackedMatrix.pack(dtype, rows, cols, w);
            PackedMatrix warm = KernelWarmup.mapped(packed);
            PackedMatrix loaded = PackedMatrix.wrap(dtype, rows, cols, new ByteBuffer[] {mapFile(dir, packed)},
                    packed.scales());
            assertEquals(loaded.chunk(0).getClass(), warm.chunk(0).getClass(), dtype + " buffer");
            if (loaded.view(0) != null) {
                assertEquals(loaded.view(0).getClass(), warm.view(0).getClass(), dtype + " vector-load view");
            }
            if (loaded.ints(0) != null) {
                assertEquals(loaded.ints(0).getClass(), warm.ints(0).getClass(), dtype + " int view");
            }
            float[] expected = new float[cols];
            float[] actual = new float[cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    expected[c] = packed.get(r, c);
                    actual[c] = warm.get(r, c);
                }
                assertArrayEquals(expected, actual, dtype + " row " + r);
            }
        }
    }

    @Test
    void warmupLeavesNoTemporaryFileBehind() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = warmupFiles(tmp);
        KernelWarmup.mapped(PackedMatrix.pack(DType.BF16, 4, 64, new float[4 * 64]));
        assertEquals(before, warmupFiles(tmp));
    }

    private static long warmupFiles(Path tmp) throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(p -> p.getFileName().toString().startsWith("jneuron-warmup")).count();
        }
    }

    private static ByteBuffer mapFile(Path dir, PackedMatrix m) throws IOException {
        Path f = Files.createTempFile(dir, "artifact", ".bin");
        ByteBuffer bytes = m.storage()[0];
        int size = bytes.remaining();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            assertTrue(mapped.isReadOnly());
            return mapped;
        }
    }
}
