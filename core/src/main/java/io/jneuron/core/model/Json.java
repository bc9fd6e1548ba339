package io.jneuron.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the small JSON files of a checkpoint with errors that name the file. */
public final class Json {
    /** As deep as the registry's JSON reader goes; real configs nest 3 or 4 levels. */
    static final int MAX_DEPTH = 128;
    static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build());
    /** config.json, tokenizer_config.json and indexes are small; refuse anything absurd. */
    static final long MAX_BYTES = 64L << 20;

    private Json() {
    }

    public static JsonNode readTree(Path file) {
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                // A FIFO or device would block the read for ever; a folder cannot be parsed.
                throw new ModelFormatException(file + ": not a regular file (a folder, FIFO or device); replace it with "
                        + "the JSON file itself");
            }
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
        } catch (StreamConstraintsException e) {
            throw new ModelFormatException(file + ": malformed JSON: nested deeper than " + MAX_DEPTH + " levels; fix or "
                    + "delete the file");
        } catch (JsonProcessingException e) {
            if (e.getLocation() == null) {
                throw new ModelFormatException(file + ": malformed JSON (" + e.getOriginalMessage() + ")");
            }
            throw new ModelFormatException(file + ": malformed JSON (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
