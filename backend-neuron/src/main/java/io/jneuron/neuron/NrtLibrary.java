package io.jneuron.neuron;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every native method of the binding, and the one place that turns a status into an exception.
 * Handles are raw pointers as {@code long}; callers (the owners in this package) guarantee a handle
 * is live for the whole call. The shim itself rejects null handles and bad buffers with
 * {@link NrtStatus#JNEURON_BAD_ARGUMENT} instead of crashing.
 */
final class NrtLibrary {
    static final String SHIM_RESOURCE = "/native/linux-x86_64/libjneuron_nrt.so";

    /** What loading found: the libnrt path in use, or why there is none. */
    record Status(boolean loaded, String path, String reason) {
    }

    private static String shimError;
    private static boolean shimLoaded;
    private static Status status;
    private static Path statusFor;

    private NrtLibrary() {
    }

    /**
     * Loads the shim and then libnrt: the configured override only (an explicit path that fails is
     * an error, not a reason to pick another library), else the Neuron install path, else the
     * loader's search path. Cached: a process holds at most one libnrt. Never throws.
     */
    static synchronized Status load(NeuronConfig config) {
        if (status != null && status.loaded()) {
            // A process holds one libnrt: an override naming another file cannot be honoured now.
            if (config.nrtLibrary() != null && !config.nrtLibrary().toString().equals(status.path())) {
                return new Status(false, null, "another libnrt (" + status.path() + ") is already loaded in this process, "
                        + "so " + config.nrtLibrary() + " cannot be; restart the JVM to switch");
            }
            return status;
        }
        if (status != null && java.util.Objects.equals(statusFor, config.nrtLibrary())) {
            return status;
        }
        if (!loadShim()) {
            return status = new Status(false, null, shimError);
        }
        List<String> candidates = config.nrtLibrary() != null ? List.of(config.nrtLibrary().toString())
                : List.of(NeuronConfig.INSTALL_PATH, "libnrt.so.1");
        List<String> errors = new ArrayList<>();
        for (String c : candidates) {
            String err = nOpen(c);
            if (err == null) {
                return status = new Status(true, c, "");
            }
            errors.add(err);
        }
        statusFor = config.nrtLibrary();
        return status = new Status(false, null, "no libnrt found (tried " + String.join("; ", errors) + ")"
                + (config.nrtLibrary() == null ? "; install aws-neuronx-runtime-lib or set NEURON_KERNEL_NRT_LIBRARY" : ""));
    }

    /** The library this process loaded, or a {@link NativeException.State} saying why none is. */
    static Status require(NeuronConfig config) {
        Status s = load(config);
        if (!s.loaded()) {
            throw NativeException.of("dlopen", NrtStatus.JNEURON_NOT_LOADED.code(), s.reason(), "libnrt.so.1");
        }
        return s;
    }

    private static boolean loadShim() {
        if (shimLoaded || shimError != null) {
            return shimLoaded;
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            shimError = "no JNI shim for " + os + "/" + arch + " (only linux-x86_64 is built)";
            return false;
        }
        try (InputStream in = NrtLibrary.class.getResourceAsStream(SHIM_RESOURCE)) {
            if (in == null) {
                shimError = "the JNI shim " + SHIM_RESOURCE + " is missing from the jar; rebuild with gcc present";
                return false;
            }
            Path tmp = Files.createTempFile("jneuron_nrt", ".so");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                System.load(tmp.toAbsolutePath().toString());
            } finally {
                // Linux keeps a loaded library mapped after unlink, so nothing is left in /tmp.
                Files.deleteIfExists(tmp);
            }
            shimLoaded = true;
        } catch (IOException | LinkageError | SecurityException e) {
            shimError = "cannot load the JNI shim: " + e;
        }
        return shimLoaded;
    }

    /** Throws the typed exception for a failed status; {@code context} names the object involved. */
    static void check(int code, String function, String context) {
        if (code != NrtStatus.SUCCESS.code()) {
            String text = code > 0 ? nStatusString(code) : null;
            throw NativeException.of(function, code, text, context);
        }
    }

    static void setenv(String name, String value) {
        int err = nSetenv(name, value);
        if (err != 0) {
            throw new IllegalArgumentException("setenv(" + name + ") failed with errno " + err);
        }
    }

    static boolean has(String symbol) {
        return nHasSymbol(symbol);
    }

    static native String nOpen(String path);

    static native boolean nHasSymbol(String name);

    static native int nSetenv(String name, String value);

    static native int nInit();

    static native void nClose();

    static native int nVersion(long[] numbers, String[] strings);

    static native int nCoreCount(boolean visible, int[] out);

    static native String nStatusString(int code);

    static native int nLoadArray(byte[] neff, int vnc, int vncCount, long[] out);

    static native int nLoadBuffer(ByteBuffer neff, long size, int vnc, int vncCount, long[] out);

    static native int nUnload(long model);

    static native int nTensorInfo(long model, byte[][] out);

    static native int nExecute(long model, long inputs, long outputs);

    static native int nSetAllocate(long[] out);

    static native void nSetDestroy(long set);

    static native int nSetAdd(long set, String name, long tensor);

    static native int nSetGet(long set, String name, long[] out);

    static native int nTensorAllocate(int placement, int vnc, long size, String name, long[] out);

    static native int nTensorAllocateEmpty(String name, long[] out);

    static native void nTensorFree(long tensor);

    static native int nTensorAttach(long tensor, ByteBuffer buffer);

    static native long nTensorSize(long tensor);

    static native int nTensorCopyBuffer(boolean write, long tensor, ByteBuffer buffer, long pos, long offset, long size);

    static native int nTensorCopyArray(boolean write, long tensor, byte[] array, int pos, long offset, int size);
}
