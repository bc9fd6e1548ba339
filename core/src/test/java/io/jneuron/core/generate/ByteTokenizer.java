package io.jneuron.core.generate;

import io.jneuron.core.model.SpecialTokens;
import io.jneuron.core.model.TextTokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Ids 0..255 are the bytes of UTF-8 text, so one character can span several tokens; 256 is EOS and
 * 257 is PAD. Decoding replaces malformed or cut-off UTF-8 with U+FFFD, as real byte-level decoders do.
 */
final class ByteTokenizer implements TextTokenizer {
    static final int EOS = 256;
    static final int PAD = 257;
    static final int VOCAB = 258;

    static int[] ids(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xff;
        }
        return ids;
    }

    @Override
    public int[] encode(String text, boolean addSpecialTokens) {
        return ids(text);
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringBuilder out = new StringBuilder();
        for (int id : ids) {
            if (id < 256) {
                bytes.write(id);
                continue;
            }
            out.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.reset();
            if (!skipSpecialTokens) {
                out.append(id == EOS ? "<eos>" : "<pad>");
            }
        }
        return out.append(bytes.toString(StandardCharsets.UTF_8)).toString();
    }

    @Override
    public SpecialTokens specialTokens() {
        return new SpecialTokens(null, List.of(EOS), PAD);
    }

    @Override
    public void close() {
    }
}
