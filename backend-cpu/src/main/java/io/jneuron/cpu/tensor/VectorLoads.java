package io.jneuron.cpu.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Vector loads from weight storage outside the Java heap (a mapped artifact or a direct buffer), for the
 * same bytecode on JDK 17 and JDK 20+. JDK 17's incubator only reads a {@code ByteBuffer}
 * ({@code fromByteBuffer}), called directly; JDK 20+ removed that for {@code fromMemorySegment}, which
 * JDK 17's javac cannot see, so there the load is bound once into a {@code static final} method handle
 * that C2 treats as a constant and inlines through. A call site is linked when first run, so each JDK
 * only ever links its own branch.
 * {@link #view} turns a buffer into what these loads read (the buffer itself, or a segment over it).
 * fp32 decode loads this way, and bf16 and int8 decode over long rows on JDK 20+; other 16-bit and int8 rows measured
 * faster bulk-copied into an array first (see {@link Scratch}).
 */
final class VectorLoads {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final boolean SEGMENTS;
    private static final MethodHandle FLOATS;
    private static final MethodHandle INTS;
    private static final MethodHandle BYTES;
    private static final MethodHandle VIEW;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> storage;
            String name;
            MethodHandle view;
            if (hasByteBufferLoads()) {
                storage = ByteBuffer.class;
                name = "fromByteBuffer";
                view = MethodHandles.identity(ByteBuffer.class);
            } else {
                storage = Class.forName("java.lang.foreign.MemorySegment");
                name = "fromMemorySegment";
                view = lookup.findStatic(storage, "ofBuffer", MethodType.methodType(storage, java.nio.Buffer.class));
            }
            SEGMENTS = storage != ByteBuffer.class;
            FLOATS = SEGMENTS ? load(lookup, FloatVector.class, name, storage) : null;
            INTS = SEGMENTS ? load(lookup, IntVector.class, name, storage) : null;
            BYTES = SEGMENTS ? load(lookup, ByteVector.class, name, storage) : null;
            VIEW = view.asType(MethodType.methodType(Object.class, ByteBuffer.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private VectorLoads() {
    }

    private static boolean hasByteBufferLoads() {
        try {
            FloatVector.class.getMethod("fromByteBuffer", VectorSpecies.class, ByteBuffer.class, int.class,
                    ByteOrder.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** {@code Vector fromMemorySegment(species, segment, long offset, order)} adapted to {@code (species, Object, long, order)}. */
    private static MethodHandle load(MethodHandles.Lookup lookup, Class<?> vector, String name, Class<?> storage)
            throws ReflectiveOperationException {
        MethodHandle mh = lookup.findStatic(vector, name,
                MethodType.methodType(vector, VectorSpecies.class, storage, long.class, ByteOrder.class));
        return mh.asType(MethodType.methodType(vector, VectorSpecies.class, Object.class, long.class, ByteOrder.class));
    }

    /** True on JDKs that read memory segments (20+). */
    static boolean segments() {
        return SEGMENTS;
    }

    /** What the loads below read for {@code buf}: the buffer itself, or a segment over its bytes. */
    static Object view(ByteBuffer buf) {
        try {
            return (Object) VIEW.invokeExact(buf);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Floats at byte offset {@code at} of a {@link #view}, little-endian. The offset is a long, as segments
     * take it: computed in long by the caller, C2 need not prove an int-to-long conversion overflow-free.
     */
    static FloatVector floats(VectorSpecies<Float> s, Object w, long at) {
        // JDK 17: a plain call (the branch folds; the other JDK never links that call site). Kept under C2's
        // MaxInlineSize (35 bytes), as is segmentFloats: at 41 bytes, a kernel compiled while this call site was
        // still cold (the CPU backend reaches C2 early) left it a call and boxed every vector it returned
        // (PrintInlining: "callee is too large"; Temurin 25 fp32 decode 94 -> 112 tok/s with it inlined, 8 pairs).
        return SEGMENTS ? segmentFloats(s, w, at) : FloatVector.fromByteBuffer(s, (ByteBuffer) w, (int) at, LE);
    }

    private static FloatVector segmentFloats(VectorSpecies<Float> s, Object w, long at) {
        try {
            return (FloatVector) FLOATS.invokeExact(s, w, at, LE);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * JDK 20+ only ({@link #segments}): ints at byte offset {@code at} of a segment {@link #view}, little-endian. Only
     * the long rows' decode kernels load 16-bit and int8 weights directly, and only there (JDK 17 keeps the copy).
     */
    static IntVector ints(VectorSpecies<Integer> s, Object w, long at) {
        try {
            return (IntVector) INTS.invokeExact(s, w, at, LE);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** JDK 20+ only: bytes at byte offset {@code at} of a segment {@link #view} (see {@link #ints}). */
    static ByteVector bytes(VectorSpecies<Byte> s, Object w, long at) {
        try {
            return (ByteVector) BYTES.invokeExact(s, w, at, LE);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
