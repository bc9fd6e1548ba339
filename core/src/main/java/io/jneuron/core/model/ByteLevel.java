package io.jneuron.core.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's byte-level alphabet: every byte is shown as one printable character (printable Latin-1
 * bytes as themselves, the others shifted to U+0100 and up, so a space becomes {@code Ġ}), and text
 * is split into words with GPT-2's pattern before BPE runs on each word. This matches the
 * {@code ByteLevel} pre-tokenizer of the Hugging Face tokenizers library with {@code use_regex: true}
 * and {@code add_prefix_space: false}. {@link ByteLevelBpeTokenizer} runs checkpoints with it; the tiny test
 * models' trainer writes vocabularies in it.
 */
public final class ByteLevel {
    /** Contractions, letter runs, digit runs, other symbols (each with an optional leading space), spaces. */
    static final Pattern WORDS = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private static final char[] BYTE_TO_CHAR = new char[256];
    /** The inverse of BYTE_TO_CHAR over U+0000-U+0143 (-1 elsewhere): every mapped char is below U+0144. */
    private static final int[] CHAR_TO_BYTE = new int[324];
    /** Byte values in the order GPT-2 numbers its 256 base tokens: printable ones first. */
    private static final int[] BYTE_ORDER = new int[256];

    static {
        int n = 0;
        boolean[] printable = new boolean[256];
        for (int b = 0; b < 256; b++) {
            printable[b] = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            if (printable[b]) {
                BYTE_TO_CHAR[b] = (char) b;
                BYTE_ORDER[n++] = b;
            }
        }
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            if (!printable[b]) {
                BYTE_TO_CHAR[b] = (char) (256 + shifted++);
                BYTE_ORDER[n++] = b;
            }
        }
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        for (int b = 0; b < 256; b++) {
            CHAR_TO_BYTE[BYTE_TO_CHAR[b]] = b;
        }
    }

    private ByteLevel() {
    }

    /** The 256 single-byte tokens in GPT-2's id order. */
    public static List<String> baseTokens() {
        List<String> out = new ArrayList<>(256);
        for (int b : BYTE_ORDER) {
            out.add(String.valueOf(BYTE_TO_CHAR[b]));
        }
        return out;
    }

    /** The UTF-8 bytes of {@code text} in the byte-level alphabet. */
    public static String encodeBytes(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            sb.append(BYTE_TO_CHAR[b & 0xff]);
        }
        return sb.toString();
    }

    /** Pre-tokenizes {@code text} into byte-level words. */
    public static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORDS.matcher(text);
        while (m.find()) {
            out.add(encodeBytes(m.group()));
        }
        return out;
    }

    /** The byte that {@code c} shows, or -1 when {@code c} is not in the byte-level alphabet. */
    public static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The character that shows byte {@code b} (0-255). */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b];
    }
}
