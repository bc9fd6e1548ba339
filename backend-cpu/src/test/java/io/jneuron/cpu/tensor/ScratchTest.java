package io.jneuron.cpu.tensor;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ScratchTest {
    @Test
    void piecewiseCopyTakesExactlyTheRangeAskedFor() {
        IntBuffer src = ByteBuffer.allocateDirect(4 * 5000).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        for (int i = 0; i < 5000; i++) {
            src.put(i, i * 7 + 1);
        }
        // Several pieces and a partial last one, from an offset, and a copy shorter than one piece.
        for (int n : new int[] {3 * Scratch.COPY_PIECE / 4 + 5, Scratch.COPY_PIECE / 4, 3, 0}) {
            int[] dst = new int[n + 2];
            dst[n] = -1;
            dst[n + 1] = -2;
            Scratch.copy(src, 123, dst, n, Scratch.COPY_PIECE);
            int[] expected = new int[n + 2];
            for (int i = 0; i < n; i++) {
                expected[i] = (123 + i) * 7 + 1;
            }
            expected[n] = -1;
            expected[n + 1] = -2;
            assertArrayEquals(expected, dst, "n=" + n);
        }
        assertEquals(0, src.position());
    }

    @Test
    void piecesHoldWholeRowsUpToTheLimitAndSplitLongerRows() {
        assertEquals(3072, Scratch.piece(1536)); // bf16 rows of 768: two per piece
        assertEquals(3072, Scratch.piece(768));
        assertEquals(2000, Scratch.piece(2000)); // one row, no partial second row
        assertEquals(3072, Scratch.piece(3072));
        assertEquals(2048, Scratch.piece(4096)); // bf16 rows of 2048: halves
    }
}
