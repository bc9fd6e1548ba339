package io.jneuron.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the small JSON files of a checkpoint with errors that name the file. */
public final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** config.json, tokenizer_config.json and indexes are small; refuse anything absurd. */
    static final long MAX_BYTES = 64L << 20;

    private Json() {
    }

    public static JsonNode readTree(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new ModelFormatException(file + ": " + size + " bytes is too large for this JSON file");
            }
            JsonNode node = MAPPER.readTree(Files.readAllBytes(file));
            if (node == null || !node.isObject()) {
                throw new ModelFormatException(file + ": expected a JSON object");
            }
            return node;
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file + ": file not found");
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file + ": malformed JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
