package io.jneuron.cpu.artifact;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;

/**
 * The CPU backend's compiled artifact, one file: an 8-byte magic, a little-endian u64 header length,
 * a UTF-8 JSON {@link Manifest}, then tensor data, each tensor 64-byte aligned and little-endian, in
 * exactly the layout the kernels read. Loading is a bulk copy; nothing is converted.
 */
public final class ArtifactFormat {
    /** "JNRNCPU" + format version. */
    static final byte[] MAGIC = "JNRNCPU1".getBytes(StandardCharsets.US_ASCII);
    /** 2: int8 rows are plain row-major bytes (1 interleaved them); 1 is still read when it holds no int8. */
    public static final int FORMAT_VERSION = 2;
    static final int OLDEST_READABLE = 1;
    static final int ALIGN = 64;
    static final long MAX_HEADER_BYTES = 16L << 20;
    /** File name of the artifact inside an exported folder or a cache module. */
    public static final String FILE_NAME = "model.jncpu";

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ArtifactFormat() {
    }

    static long align(long n) {
        return (n + ALIGN - 1) / ALIGN * ALIGN;
    }
}
