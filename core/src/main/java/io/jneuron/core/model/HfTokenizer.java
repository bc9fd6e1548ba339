package io.jneuron.core.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.jneuron.core.NeuronKernelException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A checkpoint's {@code tokenizer.json} run by the Hugging Face tokenizers library (through DJL's
 * binding, whose native library unpacks under {@code ~/.djl.ai} or {@code DJL_CACHE_DIR}; no network
 * is needed, and DJL's usage tracking is switched off unless {@code OPT_OUT_TRACKING} is set). Special token ids
 * come from {@link SpecialTokensReader}. Decoders whose tokenizer.json is a byte-level BPE run
 * {@link ByteLevelBpeTokenizer} instead, without the native library.
 *
 * <p>Thread-safe. Owns native memory: {@link #close()} it; use after close throws
 * {@link IllegalStateException}.
 */
public final class HfTokenizer implements TextTokenizer {
    public static final String TOKENIZER_JSON = "tokenizer.json";
    /**
     * DJL warns when no maxLength is given; truncation stays off, so the value only silences that.
     * Prompt length is checked against the compiled sequence length elsewhere, with a clear error.
     */
    private static final Map<String, String> OPTIONS = Map.of(
            "maxLength", String.valueOf(1 << 24), "truncation", "false", "padding", "false");

    /** The property (or environment variable) that turns off DJL's usage tracking. */
    static final String DJL_OPT_OUT = "OPT_OUT_TRACKING";

    static {
        // DJL's tokenizer reports the EC2 instance type and id to DJL's developers on first use unless told
        // not to (its "usage tracking"; the probe also loads an HTTP stack inside the first generation). On
        // trn1/inf2 that would be every notebook; jneuron opts out unless the user set the switch themselves.
        if (System.getenv(DJL_OPT_OUT) == null && System.getProperty(DJL_OPT_OUT) == null) {
            System.setProperty(DJL_OPT_OUT, "true");
        }
    }

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final SpecialTokens specialTokens;
    private volatile boolean closed;

    private HfTokenizer(Path file, HuggingFaceTokenizer tokenizer, SpecialTokens specialTokens) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.specialTokens = specialTokens;
    }

    /**
     * Opens {@code dir/tokenizer.json} and reads the special tokens of {@code dir}.
     *
     * @throws ModelFormatException when tokenizer.json is missing or invalid, or a special token file is malformed
     */
    public static HfTokenizer open(Path dir) {
        Path file = dir.resolve(TOKENIZER_JSON);
        if (!Files.exists(file)) {
            throw new ModelFormatException(file + ": file not found; jneuron needs the fast tokenizer file"
                    + " (tokenizer.json) that transformers' save_pretrained writes");
        }
        refuseIrregular(file);
        SpecialTokens special = SpecialTokensReader.read(dir);
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(file, OPTIONS);
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError e) {
            throw new NeuronKernelException("cannot load the native tokenizers library of DJL (" + e.getMessage()
                    + "); it unpacks under ~/.djl.ai or DJL_CACHE_DIR, which must be writable", e);
        } catch (RuntimeException e) {
            // The Rust parser's messages are precise ("Token `q` out of vocabulary at line 1 column 73").
            throw new ModelFormatException(file + ": not a valid tokenizer.json (" + oneLine(e.getMessage())
                    + "); replace it with the tokenizer.json that transformers' save_pretrained writes", e);
        }
        return new HfTokenizer(file, tokenizer, special);
    }

    /**
     * Refuses, before any work, a checkpoint folder whose tokenizer files would break a later generate or
     * pipeline: a side file that is a folder, FIFO or device, a tokenizer.json the tokenizers library cannot
     * load, or a malformed tokenizer_config.json / generation_config.json. Errors name the file in {@code dir},
     * the user's own, rather than the copy an export makes of it. A folder with no tokenizer.json passes (ids only).
     *
     * @throws ModelFormatException naming the file and what is wrong with it
     */
    public static void check(Path dir) {
        for (String side : ModelSource.SIDE_FILES) {
            refuseIrregular(dir.resolve(side));
        }
        SpecialTokensReader.check(dir);
        // A byte-level BPE the Java tokenizer reads whole is valid; only other layouts need the native library here.
        if (Files.exists(dir.resolve(TOKENIZER_JSON)) && ByteLevelBpeTokenizer.open(dir).isEmpty()) {
            try {
                open(dir).close();
            } catch (ModelFormatException e) {
                throw e;
            } catch (NeuronKernelException nativeLibraryUnavailable) {
                // Export needs no tokenizer to run; without the native library check what Jackson can: the syntax.
                TokenizerVocab.read(dir.resolve(TOKENIZER_JSON));
            }
        }
    }

    /** A FIFO would block the native reader for ever and a folder cannot be parsed; links to files are fine. */
    private static void refuseIrregular(Path file) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new ModelFormatException(file + ": not a regular file (a folder, FIFO or device); replace it with "
                    + "the file itself");
        }
    }

    /** The Rust parser's message can span lines; a CLI error is one line. */
    private static String oneLine(String message) {
        return message == null ? "no detail" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** The tokenizer.json this tokenizer was loaded from. */
    public Path file() {
        return file;
    }

    @Override
    public int[] encode(String text, boolean addSpecialTokens) {
        return toInts(encoding(text, addSpecialTokens).getIds());
    }

    /** The token strings of {@code text} (byte-level tokens show a space as {@code Ġ}); for tutorials. */
    public List<String> tokens(String text, boolean addSpecialTokens) {
        return List.of(encoding(text, addSpecialTokens).getTokens());
    }

    /**
     * Tokenizes {@code text} (and {@code pair}, the second input of question answering, when not null) with
     * special tokens, keeping offsets, word ids and token types.
     */
    public TokenEncoding encodeWithOffsets(String text, String pair) {
        Objects.requireNonNull(text, "text");
        checkOpen();
        Encoding e = pair == null ? tokenizer.encode(text, true, false) : tokenizer.encode(text, pair, true, false);
        int n = e.getIds().length;
        int[] starts = new int[n];
        int[] ends = new int[n];
        var spans = e.getCharTokenSpans();
        long[] specialMask = e.getSpecialTokenMask();
        boolean[] special = new boolean[n];
        for (int i = 0; i < n; i++) {
            special[i] = specialMask[i] != 0;
            if (spans[i] != null && !special[i]) {
                starts[i] = spans[i].getStart();
                ends[i] = spans[i].getEnd();
            }
        }
        return new TokenEncoding(toInts(e.getIds()), toInts(e.getTypeIds()), starts, ends, toInts(e.getWordIds()),
                toInts(e.getSequenceIds()), special);
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        Objects.requireNonNull(ids, "ids");
        checkOpen();
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longs[i] = ids[i];
        }
        return tokenizer.decode(longs, skipSpecialTokens);
    }

    @Override
    public SpecialTokens specialTokens() {
        return specialTokens;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            tokenizer.close();
        }
    }

    private Encoding encoding(String text, boolean addSpecialTokens) {
        Objects.requireNonNull(text, "text");
        checkOpen();
        return tokenizer.encode(text, addSpecialTokens, false);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(file + ": tokenizer is closed");
        }
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String toString() {
        return "HfTokenizer[" + file + "]";
    }
}
