package io.jneuron.neuron;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of load / execute / unload cycles grow no memory: the stand-in's own count of live
 * objects returns to zero, and the process RSS stays flat. Each cycle allocates 3 x 256 KiB
 * tensors, so a leak of even one tensor per cycle would add ~750 MiB and fail the RSS bound.
 */
class SoakTest {
    static final int WARMUP = 300;
    static final int CYCLES = 3000;
    static final int FLOATS = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void loadExecuteUnloadCyclesGrowNoMemory() throws IOException {
        Path neff = StandIn.neff(dir, "big", """
                function add_f32
                input a float32 256 256
                input b float32 256 256
                output out float32 256 256
                """);
        byte[] bytes = Files.readAllBytes(neff);
        // Direct buffers, reused: the Java heap barely moves, so RSS reflects native memory.
        ByteBuffer a = ByteBuffer.allocateDirect(FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer b = ByteBuffer.allocateDirect(FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocateDirect(FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < FLOATS; i++) {
            a.putFloat(i * 4, i);
            b.putFloat(i * 4, 1);
        }
        try (NeuronRuntime rt = StandIn.open()) {
            for (int i = 0; i < WARMUP; i++) {
                cycle(rt, bytes, neff, a, b, out, i);
            }
            System.gc();
            long before = rssKiB();
            long start = System.nanoTime();
            for (int i = 0; i < CYCLES; i++) {
                cycle(rt, bytes, neff, a, b, out, i);
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.gc();
            long after = rssKiB();
            String live = rt.version().detail();   // re-read: the stand-in reports live objects here
            String fresh = NeuronRuntime.readVersion().detail();
            System.err.printf("[soak] %d cycles in %d ms; RSS %d KiB -> %d KiB (%+d KiB); %s%n",
                    CYCLES, ms, before, after, after - before, fresh);
            assertEquals(0, rt.openHandles());
            assertTrue(fresh.endsWith("live models=0 tensors=0 sets=0 infos=0"), fresh);
            assertTrue(after - before < 16 * 1024, "RSS grew by " + (after - before) + " KiB over " + CYCLES + " cycles");
            assertTrue(live.startsWith("jneuron stand-in"), live);
        }
    }

    private static void cycle(NeuronRuntime rt, byte[] bytes, Path file, ByteBuffer a, ByteBuffer b, ByteBuffer out, int i)
            throws IOException {
        // alternate the two load paths: a byte[] and a memory-mapped file
        try (NeuronModel m = i % 2 == 0 ? rt.load(bytes, "big", 0) : rt.load(file, 1);
             ModelIo io = m.newIo(Placement.DEVICE)) {
            io.tensor("a").write(0, a);
            io.tensor("b").write(0, b);
            io.execute();
            io.tensor("out").read(0, out);
            if (i % 500 == 0) {
                assertEquals(FLOATS, out.getFloat((FLOATS - 1) * 4), 0f);
                assertEquals(3f, out.getFloat(8), 0f);
            }
        }
    }

    static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
