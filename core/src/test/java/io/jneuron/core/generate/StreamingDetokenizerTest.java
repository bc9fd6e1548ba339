package io.jneuron.core.generate;

import io.jneuron.core.model.SpecialTokens;
import io.jneuron.core.model.TextTokenizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class StreamingDetokenizerTest {
    @Test
    void multiByteCharactersAreNeverSplit() {
        String text = "héllo € 𝄞 ok"; // 2-, 3- and 4-byte characters
        StreamingDetokenizer s = new StreamingDetokenizer(new ByteTokenizer());
        List<String> deltas = new ArrayList<>();
        for (int id : ByteTokenizer.ids(text)) {
            String d = s.push(id);
            assertFalse(d.contains("\uFFFD"), "half a character escaped: " + deltas);
            deltas.add(d);
        }
        deltas.add(s.flush());
        assertEquals(text, String.join("", deltas));
        // "𝄞" is 4 bytes: the first three push nothing, the fourth the whole (surrogate pair) character.
        int clef = "héllo € ".getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertEquals(List.of("", "", "", "𝄞"), deltas.subList(clef, clef + 4));
        assertEquals(text, s.emitted());
    }

    @Test
    void specialTokensAddNothingAndACutCharacterIsFlushedAtTheEnd() {
        StreamingDetokenizer s = new StreamingDetokenizer(new ByteTokenizer());
        assertEquals("a", s.push('a'));
        assertEquals("", s.push(ByteTokenizer.EOS));
        assertEquals("", s.push(0xE2)); // first byte of a 3-byte character, never completed
        assertEquals("\uFFFD", s.flush());
        assertEquals("", s.flush());
    }

    @Test
    void decodersThatDropALeadingSpaceStreamTheTrueDelta() {
        // Like SentencePiece: each word token carries its leading space, and decoding strips the
        // space at the very start. Decoding a token alone would lose the space between words.
        StreamingDetokenizer s = new StreamingDetokenizer(new WordTokenizer());
        String joined = s.push(0) + s.push(1) + s.push(2) + s.push(1) + s.flush();
        assertEquals("Hello world! world", joined);
        assertEquals(new WordTokenizer().decode(new int[] {0, 1, 2, 1}, true), joined);
    }

    /** Ids 0, 1, 2 are " Hello", " world", "!"; decode strips one leading space. */
    private static final class WordTokenizer implements TextTokenizer {
        private static final String[] WORDS = {" Hello", " world", "!"};

        @Override
        public int[] encode(String text, boolean addSpecialTokens) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String decode(int[] ids, boolean skipSpecialTokens) {
            StringBuilder sb = new StringBuilder();
            for (int id : ids) {
                sb.append(WORDS[id]);
            }
            return sb.length() > 0 && sb.charAt(0) == ' ' ? sb.substring(1) : sb.toString();
        }

        @Override
        public SpecialTokens specialTokens() {
            return new SpecialTokens(null, List.of(), null);
        }

        @Override
        public void close() {
        }
    }
}
