package io.jneuron.core.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Precedence and value forms of bos / eos / pad across the three JSON files. */
class SpecialTokensReaderTest {
    /** A minimal tokenizer.json: "<pad>" only in the model vocab, "</s>" an added token. */
    private static final String TOKENIZER_JSON = """
            {"version": "1.0", "added_tokens": [{"id": 2, "content": "</s>", "special": true}],
             "model": {"type": "BPE", "vocab": {"<unk>": 0, "<s>": 1, "</s>": 2, "<pad>": 7, "a": 3},
                       "merges": []}}
            """;

    @TempDir
    Path dir;

    @Test
    void configAloneGivesTheIds() throws IOException {
        write("config.json", "{\"bos_token_id\": 1, \"eos_token_id\": 2, \"pad_token_id\": 0}");
        assertEquals(new SpecialTokens(1, List.of(2), 0), SpecialTokensReader.read(dir));
    }

    @Test
    void generationConfigWinsAndMayListSeveralEosIds() throws IOException {
        write("config.json", "{\"bos_token_id\": 1, \"eos_token_id\": 2}");
        write("generation_config.json", "{\"bos_token_id\": 128000, \"eos_token_id\": [128001, 128008, 128009]}");
        SpecialTokens t = SpecialTokensReader.read(dir);
        assertEquals(new SpecialTokens(128000, List.of(128001, 128008, 128009), null), t);
        assertTrue(t.isEos(128008));
        assertFalse(t.isEos(2));
    }

    @Test
    void tokenizerConfigStringsAndContentObjectsMapThroughTheVocabulary() throws IOException {
        write("tokenizer.json", TOKENIZER_JSON);
        write("tokenizer_config.json", """
                {"bos_token": {"__type": "AddedToken", "content": "<s>", "lstrip": false},
                 "eos_token": "</s>", "pad_token": "<pad>"}
                """);
        write("config.json", "{\"bos_token_id\": 100, \"eos_token_id\": 101, \"pad_token_id\": 102}");
        assertEquals(new SpecialTokens(1, List.of(2), 7), SpecialTokensReader.read(dir));
    }

    @Test
    void addedTokensDecoderAnswersWithoutTokenizerJson() throws IOException {
        write("tokenizer_config.json", """
                {"added_tokens_decoder": {"32000": {"content": "<|eot|>", "special": true}},
                 "eos_token": "<|eot|>", "bos_token": null}
                """);
        write("config.json", "{\"bos_token_id\": 5}");
        assertEquals(new SpecialTokens(5, List.of(32000), null), SpecialTokensReader.read(dir));
    }

    @Test
    void eachIdComesFromTheFirstFileThatSetsIt() throws IOException {
        write("generation_config.json", "{\"eos_token_id\": 9}");
        write("tokenizer.json", TOKENIZER_JSON);
        write("tokenizer_config.json", "{\"bos_token\": \"<s>\", \"pad_token\": null}");
        write("config.json", "{\"bos_token_id\": 100, \"eos_token_id\": 101, \"pad_token_id\": 3}");
        assertEquals(new SpecialTokens(1, List.of(9), 3), SpecialTokensReader.read(dir));
    }

    @Test
    void negativeIdsMeanUnsetAsOldConfigsWroteThem() throws IOException {
        write("generation_config.json", "{\"pad_token_id\": -1}");
        write("config.json", "{\"pad_token_id\": 0}");
        assertEquals(new SpecialTokens(null, List.of(), 0), SpecialTokensReader.read(dir));
    }

    @Test
    void noFilesMeansNoIds() {
        assertEquals(new SpecialTokens(null, List.of(), null), SpecialTokensReader.read(dir));
    }

    @Test
    void unknownTokenStringIsNamed() throws IOException {
        write("tokenizer.json", TOKENIZER_JSON);
        Path f = write("tokenizer_config.json", "{\"pad_token\": \"<|pad|>\"}");
        assertEquals(f + ": \"pad_token\" is \"<|pad|>\", which is not a token of " + dir.resolve("tokenizer.json"),
                error());
    }

    @Test
    void tokenStringWithoutTokenizerJsonNamesTheMissingFile() throws IOException {
        write("tokenizer_config.json", "{\"eos_token\": \"</s>\"}");
        assertEquals(dir.resolve("tokenizer.json") + ": file not found", error());
    }

    @Test
    void wrongTypesAreNamedWithTheirValue() throws IOException {
        Path gen = write("generation_config.json", "{\"eos_token_id\": \"2\"}");
        assertEquals(gen + ": \"eos_token_id\" must be an integer or a list of integers, got \"2\"", error());
        write("generation_config.json", "{\"eos_token_id\": [2, 2.5]}");
        assertEquals(gen + ": \"eos_token_id\" must be an integer or a list of integers, got [2,2.5]", error());
        write("generation_config.json", "{\"bos_token_id\": [1, 2]}");
        assertEquals(gen + ": \"bos_token_id\" must be a single token id, got [1,2]", error());
        Files.delete(gen);
        Path tc = write("tokenizer_config.json", "{\"bos_token\": 1}");
        assertEquals(tc + ": \"bos_token\" must be a token string or an object with \"content\", got 1", error());
    }

    @Test
    void malformedFilesAreNamed() throws IOException {
        Path gen = write("generation_config.json", "{\"eos_token_id\": ");
        String msg = error();
        assertTrue(msg.startsWith(gen + ": malformed JSON ("), msg);
        Files.delete(gen);
        write("tokenizer_config.json", "{\"eos_token\": \"</s>\"}");
        Path tok = write("tokenizer.json", "{\"model\": {\"vocab\": {\"a\": 1,}}}");
        msg = error();
        assertTrue(msg.startsWith(tok + ": malformed JSON ("), msg);
    }

    private Path write(String name, String json) throws IOException {
        return Files.writeString(dir.resolve(name), json);
    }

    private String error() {
        return assertThrows(ModelFormatException.class, () -> SpecialTokensReader.read(dir)).getMessage();
    }
}
