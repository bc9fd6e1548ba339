package io.jneuron.core.model;

import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The DJL-backed tokenizer on the generated GPT-2 and Llama tokenizers. */
class HfTokenizerTest {
    static final List<String> SAMPLES = List.of(
            "Hello, world!",
            "The quick brown fox jumps over the lazy dog.",
            "naïve café, déjà vu – «quotes» and ß",
            "日本語のテキストと中文",
            "emoji 😀🚀 and a thumbs up 👍🏽!",
            "tabs\tand\nnew lines,  double  spaces   ",
            " leading space and trailing ",
            "3.14159 and 1,000,000 people in 2024",
            "They're here, we've gone, I'm sure it's fine; isn't it?",
            "");

    @TempDir
    static Path dir;
    static HfTokenizer gpt2;
    static HfTokenizer llama;

    @BeforeAll
    static void generate() {
        gpt2 = HfTokenizer.open(TinyModels.generate(TinyModelSpec.tiny(Architecture.GPT2), dir.resolve("gpt2"))
                .directory());
        llama = HfTokenizer.open(TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA), dir.resolve("llama"))
                .directory());
    }

    @AfterAll
    static void close() {
        gpt2.close();
        llama.close();
    }

    @Test
    void djlUsageTrackingIsOffUnlessTheUserChose() {
        assumeTrue(System.getenv(HfTokenizer.DJL_OPT_OUT) == null, "the environment sets OPT_OUT_TRACKING itself");
        // DJL reads the switch from the environment or this property (ai.djl.util.Utils.getEnvOrSystemProperty).
        assertEquals("true", ai.djl.util.Utils.getEnvOrSystemProperty(HfTokenizer.DJL_OPT_OUT));
    }

    @Test
    void roundTripsTextIncludingNonAsciiAndEmoji() {
        for (HfTokenizer t : List.of(gpt2, llama)) {
            for (String s : SAMPLES) {
                int[] ids = t.encode(s, false);
                assertEquals(s, t.decode(ids, false), t + ": " + s);
            }
        }
    }

    @Test
    void llamaPrependsBosAndGpt2AddsNothing() {
        int[] plain = llama.encode("Once upon a time", false);
        int[] withBos = llama.encode("Once upon a time", true);
        assertEquals(plain.length + 1, withBos.length);
        assertEquals(1, withBos[0]);
        assertArrayEquals(plain, java.util.Arrays.copyOfRange(withBos, 1, withBos.length));
        assertEquals("Once upon a time", llama.decode(withBos, true));
        assertEquals("<s>Once upon a time", llama.decode(withBos, false));

        assertArrayEquals(gpt2.encode("Once upon a time", false), gpt2.encode("Once upon a time", true));
    }

    @Test
    void specialTokensComeFromTheGeneratedFiles() {
        assertEquals(new SpecialTokens(1, List.of(2), null), llama.specialTokens());
        assertEquals(new SpecialTokens(2047, List.of(2047), null), gpt2.specialTokens());
    }

    @Test
    void specialTokenTextEncodesToItsId() {
        assertArrayEquals(new int[] {2047}, gpt2.encode("<|endoftext|>", false));
        int[] ids = llama.encode("a</s>", false);
        assertEquals(2, ids[ids.length - 1]);
        assertEquals("a", llama.decode(ids, true));
    }

    @Test
    void frequentWordsAreSingleTokens() {
        assertEquals(List.of("Ġthe", "Ġdaughter", "Ġof", "Ġthe", "Ġvillage"),
                llama.tokens(" the daughter of the village", false));
        assertEquals(List.of("<s>", "Ġthe"), llama.tokens(" the", true));
    }

    @Test
    void missingTokenizerJsonIsNamed() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfTokenizer.open(empty));
        assertEquals(empty.resolve("tokenizer.json") + ": file not found; jneuron needs the fast tokenizer file"
                + " (tokenizer.json) that transformers' save_pretrained writes", e.getMessage());
    }

    @Test
    void malformedTokenizerJsonIsNamed() throws IOException {
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Path f = Files.writeString(bad.resolve("tokenizer.json"), "{\"version\": \"1.0\", \"model\": ");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfTokenizer.open(bad));
        assertEquals(f + ": not a valid tokenizer.json (EOF while parsing a value at line 1 column 28); replace it with "
                + "the tokenizer.json that transformers' save_pretrained writes", e.getMessage());
    }

    @Test
    void mergeOfAnUnknownTokenIsNamed() throws IOException {
        Path bad = Files.createDirectories(dir.resolve("bad-merge"));
        Path f = Files.writeString(bad.resolve("tokenizer.json"),
                "{\"version\":\"1.0\",\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[\"a q\"]}}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> HfTokenizer.open(bad));
        assertTrue(e.getMessage().startsWith(f + ": not a valid tokenizer.json (Token `q` out of vocabulary"),
                e.getMessage());
    }

    @Test
    void useAfterCloseIsAnError() {
        HfTokenizer t = HfTokenizer.open(dir.resolve("llama"));
        t.close();
        t.close(); // idempotent
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.encode("x", false));
        assertEquals(dir.resolve("llama").resolve("tokenizer.json") + ": tokenizer is closed", e.getMessage());
    }

    @Test
    void longInputIsNotTruncated() {
        String text = " the sea".repeat(5000);
        int[] ids = llama.encode(text, false);
        assertEquals(10_000, ids.length);
        assertEquals(text, llama.decode(ids, false));
    }
}
