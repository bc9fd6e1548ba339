package io.jneuron.cpu.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import io.jneuron.core.shape.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VectorLoadsTest {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** The byte species the int8 kernels load through: as many bytes as the float species has lanes. */
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class,
            VectorShape.forBitSize(8 * VectorKernels.F.length()));

    /** The tests start the JVM as bin/jneuron does (with VectorLoads.EXPORT): no JDK may fall back to checked loads. */
    @Test
    void everyJdkUnderTestLoadsWithoutPerLoadChecks() {
        VectorLoads.Mode expected = Runtime.version().feature() >= 20 ? VectorLoads.Mode.SEGMENTS
                : VectorLoads.Mode.ADDRESSES;
        assertEquals(expected, VectorLoads.mode(), Kernels.describe());
    }

    /**
     * Loads from a mapped file at every offset of the first vectors (aligned or not), and up to the last byte, give
     * what a little-endian read of the same bytes gives. Run enough times that C2 compiles the loads, whose compiled
     * form (an intrinsic on an address) is not the interpreter's (fromByteBuffer).
     */
    @Test
    void loadsReadTheMappedBytesAtAnyOffset(@TempDir Path dir) throws IOException {
        int n = 4096 + 7;
        byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) (i * 131 + 17 ^ i >> 5);
        }
        Path file = Files.write(dir.resolve("w.bin"), bytes);
        ByteBuffer mapped;
        try (FileChannel ch = FileChannel.open(file)) {
            mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, n).order(LE);
        }
        ByteBuffer heap = ByteBuffer.wrap(bytes).order(LE);
        Object view = VectorLoads.view(mapped);
        int fl = VectorKernels.F.length();
        int fb = VectorKernels.F.vectorByteSize();
        List<Integer> offsets = new ArrayList<>();
        for (int at = 0; at < 2 * fb; at++) {
            offsets.add(at);
        }
        offsets.add(n - fb);
        for (int pass = 0; pass < 3000; pass++) {
            for (int at : offsets) {
                float[] f = new float[fl];
                VectorLoads.floats(VectorKernels.F, view, VectorLoads.base(view), at).intoArray(f, 0);
                for (int i = 0; i < fl; i++) {
                    assertEquals(Float.floatToRawIntBits(heap.getFloat(at + 4 * i)), Float.floatToRawIntBits(f[i]),
                            "float " + i + " at " + at);
                }
                if (VectorLoads.segments()) {
                    int[] v = new int[VectorKernels.I.length()];
                    VectorLoads.ints(VectorKernels.I, view, at).intoArray(v, 0);
                    for (int i = 0; i < v.length; i++) {
                        assertEquals(heap.getInt(at + 4 * i), v[i], "int " + i + " at " + at);
                    }
                    ByteVector b = VectorLoads.bytes(BYTES, view, at);
                    byte[] expected = new byte[b.length()];
                    heap.get(at, expected);
                    assertArrayEquals(expected, b.toArray(), "bytes at " + at);
                }
            }
        }
    }

    /**
     * A kernel asked for rows past its storage throws, whichever way this JDK loads: JDK 17's address loads check
     * nothing per load, so a kernel checks its whole range before it starts, and must never read past the mapping.
     */
    @Test
    void rowsPastTheStorageThrowInsteadOfReadingOutside() {
        int rows = 8;
        int cols = 64;
        PackedMatrix m = PackedMatrix.pack(DType.FP32, rows, cols, new float[rows * cols]);
        float[] x = new float[m.stride()];
        float[] out = new float[rows + 8];
        assertThrows(IndexOutOfBoundsException.class,
                () -> VectorKernels.rowsF32(m.view(0), 0, m.stride(), x, m.stride(), 0, 1, out, rows + 8, 0, rows + 8));
        assertThrows(IndexOutOfBoundsException.class,
                () -> VectorKernels.rowsF32(m.view(0), 4, m.stride(), x, m.stride(), 0, 1, out, rows, 0, 4));
        VectorKernels.rowsF32(m.view(0), 0, m.stride(), x, m.stride(), 0, 1, out, rows, 0, rows);
    }

    /** Without the export, JDK 17 falls back to its checked buffer loads, says so, and computes the same product. */
    @Test
    void withoutTheExportJdk17FallsBackToBufferLoads() throws Exception {
        if (Runtime.version().feature() >= 20) {
            return; // segments need no export
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), Probe.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("BUFFERS"), output);
        assertTrue(output.contains(VectorLoads.EXPORT), output);
        assertTrue(output.contains("product 2080.0"), output);
    }

    /** The probe the fallback test starts: the mode, the description and a product of known value. */
    static final class Probe {
        public static void main(String[] args) {
            int cols = 64;
            float[] w = new float[4 * cols];
            float[] x = new float[cols];
            for (int c = 0; c < cols; c++) {
                w[c] = c + 1;
                x[c] = 1;
            }
            PackedMatrix m = PackedMatrix.pack(DType.FP32, 4, cols, w);
            float[] out = new float[4];
            VectorKernels.rowsF32(m.view(0), 0, m.stride(), x, m.stride(), 0, 1, out, 4, 0, 4);
            System.out.println(VectorLoads.mode() + " " + Kernels.describe() + " product " + out[0]);
        }
    }

}
