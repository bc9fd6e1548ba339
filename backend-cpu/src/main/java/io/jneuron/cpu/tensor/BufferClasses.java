package io.jneuron.cpu.tensor;

import java.util.List;

/**
 * Loads every java.nio buffer class of the element types the kernels read (byte, short, int, float) before C2
 * compiles them. C2 compiles a call on an abstract buffer ({@code IntBuffer.get(int, int[], int, int)} in a 16-bit
 * row copy) against the subclasses loaded so far; loading another one later (JShell's compiler does, reading the
 * JDK's image through a {@code ByteBufferAsIntBufferL}, when a notebook compiles a cell) throws that code away
 * ("made not entrant"), and the next generation on a kept model ran its prefill at a third of its speed until C2
 * compiled it again. With the whole family loaded first there is nothing left to invalidate it. Names missing from a
 * JDK are skipped.
 */
final class BufferClasses {
    private static final List<String> TYPES = List.of("Byte", "Short", "Int", "Float");

    private BufferClasses() {
    }

    /** The buffer classes of java.nio for the kernels' element types; loading an already loaded one is a lookup. */
    static void load() {
        for (String t : TYPES) {
            List<String> names = t.equals("Byte")
                    ? List.of("HeapByteBuffer", "HeapByteBufferR", "DirectByteBuffer", "DirectByteBufferR")
                    : List.of("Heap" + t + "Buffer", "Heap" + t + "BufferR", "Direct" + t + "BufferU",
                    "Direct" + t + "BufferS", "Direct" + t + "BufferRU", "Direct" + t + "BufferRS",
                    "ByteBufferAs" + t + "BufferB", "ByteBufferAs" + t + "BufferL", "ByteBufferAs" + t + "BufferRB",
                    "ByteBufferAs" + t + "BufferRL");
            for (String n : names) {
                try {
                    Class.forName("java.nio." + n, true, null);
                } catch (ClassNotFoundException e) {
                    // Not in this JDK's java.nio: nothing to load.
                }
            }
        }
    }
}
