package io.jneuron.cpu.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Vector loads from weight storage outside the Java heap (a mapped artifact or a direct buffer), for the
 * same bytecode on JDK 17 and JDK 20+, in one of three {@link Mode}s:
 * <ul>
 * <li>{@link Mode#SEGMENTS} (JDK 20+): {@code fromMemorySegment}, which JDK 17's javac cannot see, bound once into a
 * {@code static final} method handle that C2 treats as a constant and inlines through.</li>
 * <li>{@link Mode#ADDRESSES} (JDK 17 started with {@link #EXPORT}): the incubator's own load intrinsic
 * ({@code jdk.internal.vm.vector.VectorSupport.load}) given the mapping's address and a null base. JDK 17's
 * {@code fromByteBuffer} cannot tell a direct buffer from a heap one at compile time, so C2 fences each load and
 * reloads the buffer's fields and limit around it (C2's fp32 decode loop: 396 instructions for 16 loads, 60 this
 * way); whole generations decode 1.17x faster (bench/README.md, sixteenth session). No bounds are checked per load:
 * callers {@link #check} a whole call's range first, and pass the address as a local ({@link #base}).</li>
 * <li>{@link Mode#BUFFERS} (JDK 17 otherwise): {@code fromByteBuffer}, checked per load.</li>
 * </ul>
 * A call site is linked when first run, so each JDK only ever links its own branch. {@link #view} turns a buffer
 * into what these loads read. fp32 decode loads this way, and bf16 and int8 decode over long rows on JDK 20+; other
 * 16-bit and int8 rows measured faster bulk-copied into an array first (see {@link Scratch}).
 */
final class VectorLoads {
    /** How the loads reach the weights' memory (see the class comment). */
    enum Mode { SEGMENTS, ADDRESSES, BUFFERS }

    /** The JVM option that lets JDK 17 use {@link Mode#ADDRESSES} ({@code bin/jneuron}, the kernel and the tests pass it). */
    static final String EXPORT = "--add-exports=java.base/jdk.internal.vm.vector=ALL-UNNAMED";

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final Mode MODE;
    private static final boolean SEGMENTS;
    private static final boolean ADDRESSED;
    private static final MethodHandle FLOATS;
    private static final MethodHandle INTS;
    private static final MethodHandle BYTES;
    private static final MethodHandle VIEW;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            if (!hasByteBufferLoads()) {
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                MODE = Mode.SEGMENTS;
                FLOATS = segmentLoad(lookup, FloatVector.class, segment);
                INTS = segmentLoad(lookup, IntVector.class, segment);
                BYTES = segmentLoad(lookup, ByteVector.class, segment);
                VIEW = lookup.findStatic(segment, "ofBuffer", MethodType.methodType(segment, Buffer.class))
                        .asType(MethodType.methodType(Object.class, ByteBuffer.class));
            } else {
                MethodHandle floats = addressFloats(lookup);
                MODE = floats != null ? Mode.ADDRESSES : Mode.BUFFERS;
                FLOATS = floats;
                INTS = null;
                BYTES = null;
                VIEW = floats != null
                        ? lookup.findStatic(Mapped.class, "of", MethodType.methodType(Object.class, ByteBuffer.class))
                        : MethodHandles.identity(ByteBuffer.class).asType(MethodType.methodType(Object.class, ByteBuffer.class));
            }
            SEGMENTS = MODE == Mode.SEGMENTS;
            ADDRESSED = MODE == Mode.ADDRESSES;
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
    private static MethodHandle segmentLoad(MethodHandles.Lookup lookup, Class<?> vector, Class<?> segment)
            throws ReflectiveOperationException {
        MethodHandle mh = lookup.findStatic(vector, "fromMemorySegment",
                MethodType.methodType(vector, VectorSpecies.class, segment, long.class, ByteOrder.class));
        return mh.asType(MethodType.methodType(vector, VectorSpecies.class, Object.class, long.class, ByteOrder.class));
    }

    /**
     * JDK 17 with {@link #EXPORT}: the float load, of the preferred species, as {@code (long address, Object view, int
     * offset) -> vector}, {@code VectorSupport.load(vectorClass, float.class, lanes, null, address, view, offset,
     * species, fallback)}; C2 replaces that call by the load itself, the interpreter runs the fallback,
     * {@code fromByteBuffer} on the {@link Mapped} view's buffer at the offset.
     * Null when the package is not exported to us or its signature is not JDK 17's. (Only fp32 loads this way: bf16
     * and int8 long rows read whole generations no faster by address, 1.01-1.03x and 0.93x, than through their bulk
     * copies.)
     */
    private static MethodHandle addressFloats(MethodHandles.Lookup lookup) {
        try {
            Class<?> support = Class.forName("jdk.internal.vm.vector.VectorSupport");
            if (!VectorLoads.class.getModule().canRead(support.getModule())
                    || !support.getModule().isExported(support.getPackageName(), VectorLoads.class.getModule())) {
                return null;
            }
            Class<?> speciesType = Class.forName("jdk.internal.vm.vector.VectorSupport$VectorSpecies");
            Class<?> operation = Class.forName("jdk.internal.vm.vector.VectorSupport$LoadOperation");
            MethodHandle load = lookup.findStatic(support, "load", MethodType.methodType(Object.class, Class.class,
                    Class.class, int.class, Object.class, long.class, Object.class, int.class, speciesType, operation));
            MethodType fallbackType = MethodType.methodType(Object.class, Object.class, int.class, speciesType);
            MethodHandle fallback = lookup.findStatic(VectorLoads.class, "bufferFloats",
                    MethodType.methodType(Object.class, Object.class, int.class, Object.class));
            Object impl = LambdaMetafactory.metafactory(lookup, "load", MethodType.methodType(operation),
                    fallbackType, fallback, fallbackType).getTarget().invoke();
            MethodHandle mh = MethodHandles.insertArguments(load, 0, FS.zero().getClass(), float.class, FS.length(),
                    null);
            mh = MethodHandles.insertArguments(mh, 3, FS, impl)
                    .asType(MethodType.methodType(FloatVector.class, long.class, Object.class, int.class));
            return selfTest(mh) ? mh : null;
        } catch (Throwable e) {
            // Not JDK 17's internals (or not exported): the checked buffer loads.
            return null;
        }
    }

    /** The interpreter's {@code VectorSupport.load}: {@code fromByteBuffer} at {@code offset} of a {@link Mapped}'s buffer. */
    private static Object bufferFloats(Object mapped, int offset, Object species) {
        return FloatVector.fromByteBuffer(FS, ((Mapped) mapped).buffer, offset, LE);
    }

    /** The address load reads the bits {@code fromByteBuffer} reads, at an unaligned offset past the first vector. */
    private static boolean selfTest(MethodHandle floats) throws Throwable {
        int n = 4 * FS.vectorByteSize();
        ByteBuffer b = ByteBuffer.allocateDirect(n).order(LE);
        for (int i = 0; i < n; i++) {
            b.put(i, (byte) (i * 37 + 11));
        }
        int off = FS.vectorByteSize() + 4;
        FloatVector v = (FloatVector) floats.invoke(Mapped.address(b) + off, Mapped.of(b), off);
        return v.reinterpretAsInts().eq(FloatVector.fromByteBuffer(FS, b, off, LE).reinterpretAsInts()).allTrue();
    }

    /** How this JVM's loads reach the weights (see {@link Mode}). */
    static Mode mode() {
        return MODE;
    }

    /** True on JDKs that read memory segments (20+). */
    static boolean segments() {
        return SEGMENTS;
    }

    /**
     * Throws unless bytes {@code from..to} lie inside the {@link #view} {@code w}: the address loads check nothing, so
     * each kernel checks the whole range a call will read before it starts. Segments and buffers check every load.
     */
    static void check(Object w, long from, long to) {
        if (ADDRESSED && (from < 0 || from > to || to > ((Mapped) w).size)) {
            throw new IndexOutOfBoundsException("bytes " + from + ".." + to + " of " + ((Mapped) w).size);
        }
    }

    /** What the loads below read for {@code buf}: the buffer itself, a segment over its bytes, or its {@link Mapped} address. */
    static Object view(ByteBuffer buf) {
        try {
            return (Object) VIEW.invokeExact(buf);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * What a kernel passes to {@link #floats} as {@code base} for the view {@code w}: its address in
     * {@link Mode#ADDRESSES}, else 0. Read once into a local before a loop: C2 keeps the intrinsic's loads in program
     * order, and reloaded a field of the view before every one (1 thread: 22 GB/s so, 26 with a local; 2 threads
     * 30-40 against 42-47).
     */
    static long base(Object w) {
        return ADDRESSED ? ((Mapped) w).address : 0;
    }

    /**
     * Floats of the preferred species (the kernels' {@code F}; address loads are bound to it) at byte offset
     * {@code at} of a {@link #view} whose {@link #base} is {@code base}, little-endian. The
     * offset is a long, as segments take it: computed in long by the caller, C2 need not prove an int-to-long
     * conversion overflow-free.
     */
    static FloatVector floats(VectorSpecies<Float> s, Object w, long base, long at) {
        // A plain call on each JDK (the branches fold; the other JDK never links those call sites). Kept under C2's
        // MaxInlineSize (35 bytes), as are the methods it calls: at 41 bytes, a kernel compiled while this call site
        // was still cold (the CPU backend reaches C2 early) left it a call and boxed every vector it returned
        // (PrintInlining: "callee is too large"; Temurin 25 fp32 decode 94 -> 112 tok/s with it inlined, 8 pairs).
        // Segments are one call deep, as before JDK 17's address loads: the prefill tiles already inline deeply.
        return SEGMENTS ? segmentFloats(s, w, at) : jdk17Floats(s, w, base, at);
    }

    private static FloatVector jdk17Floats(VectorSpecies<Float> s, Object w, long base, long at) {
        return ADDRESSED ? addressFloats(w, base, at) : FloatVector.fromByteBuffer(s, (ByteBuffer) w, (int) at, LE);
    }

    private static FloatVector segmentFloats(VectorSpecies<Float> s, Object w, long at) {
        try {
            return (FloatVector) FLOATS.invokeExact(s, w, at, LE);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The view itself is the fallback's container: nothing of it is read here, so nothing is reloaded per load. */
    private static FloatVector addressFloats(Object w, long base, long at) {
        try {
            return (FloatVector) FLOATS.invokeExact(base + at, w, (int) at);
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

    /**
     * A direct buffer as {@link Mode#ADDRESSES} reads it: its address and size, and the buffer itself, which keeps the
     * memory mapped while a view is reachable and serves the interpreter's loads.
     */
    static final class Mapped {
        private static final long ADDRESS_FIELD;

        static {
            long offset = -1;
            try {
                offset = UnsafeHolder.U.objectFieldOffset(Buffer.class.getDeclaredField("address"));
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Left -1: address() refuses, and the loads stay on buffers.
            }
            ADDRESS_FIELD = offset;
        }

        final ByteBuffer buffer;
        final long address;
        final long size;

        private Mapped(ByteBuffer buffer) {
            this.buffer = buffer;
            this.address = address(buffer);
            this.size = buffer.capacity();
        }

        static Object of(ByteBuffer buffer) {
            return new Mapped(buffer);
        }

        /** The address of a direct buffer's first byte (its position is ignored, as the loads' offsets do). */
        static long address(ByteBuffer buffer) {
            if (!buffer.isDirect() || ADDRESS_FIELD < 0) {
                throw new IllegalArgumentException("not a direct buffer with a known address");
            }
            return UnsafeHolder.U.getLong(buffer, ADDRESS_FIELD);
        }
    }

    /** sun.misc.Unsafe (module jdk.unsupported), for one field: a direct buffer's address, JDK 17 only. */
    private static final class UnsafeHolder {
        static final sun.misc.Unsafe U;

        static {
            try {
                Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                U = (sun.misc.Unsafe) f.get(null);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
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
