package io.jneuron.cpu.artifact;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;

/**
 * The CPU backend's compiled artifact, one file: an 8-byte magic, a little-endian u64 header length,
 * a UTF-8 JSON {@link Manifest}, then tensor data, little-endian, in exactly the layout the kernels
 * read: matrices start on a 4 KiB page, vectors on 64 bytes. The reader maps matrices in place and takes
 * any 64-byte aligned offsets, so artifacts written before matrices were page-aligned still load.
 */
public final class ArtifactFormat {
    /** "JNRNCPU" + format version. */
    static final byte[] MAGIC = "JNRNCPU1".getBytes(StandardCharsets.US_ASCII);
    /** 2: int8 rows are plain row-major bytes (1 interleaved them); 1 is still read when it holds no int8. */
    public static final int FORMAT_VERSION = 2;
    static final int OLDEST_READABLE = 1;
    static final int ALIGN = 64;
    /**
     * Where a matrix starts. Decode streams each matrix through 4-row blocks; on the development machine
     * (AMD EPYC, 4 KiB pages) the same int8 weights decoded ~1.4x faster from a page-aligned start than from
     * one 64 bytes past a page, bf16 ~1.08x (bench/README.md, "Page-aligned matrices"); the padding is under
     * 4 KiB per matrix.
     */
    static final int MATRIX_ALIGN = 4096;
    static final long MAX_HEADER_BYTES = 16L << 20;
    /** File name of the artifact inside an exported folder or a cache module. */
    public static final String FILE_NAME = "model.jncpu";

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private ArtifactFormat() {
    }

    static long align(long n) {
        return align(n, ALIGN);
    }

    static long align(long n, int to) {
        return (n + to - 1) / to * to;
    }
}
