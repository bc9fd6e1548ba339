package io.jneuron.core.model;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Token string to id, from {@code tokenizer.json}: the {@code added_tokens} list first, then
 * {@code model.vocab}. Streams the file, since real vocabularies reach several MB and only the
 * special-token names are needed from it.
 */
final class TokenizerVocab {
    private TokenizerVocab() {
    }

    static Map<String, Integer> read(Path tokenizerJson) {
        Map<String, Integer> ids = new HashMap<>();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(tokenizerJson.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ModelFormatException(tokenizerJson + ": expected a JSON object");
            }
            Map<String, Integer> added = new HashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("added_tokens") && value == JsonToken.START_ARRAY) {
                    for (JsonNode t : (JsonNode) p.readValueAsTree()) {
                        if (t.path("id").canConvertToInt() && t.path("content").isTextual()) {
                            added.put(t.get("content").asText(), t.get("id").asInt());
                        }
                    }
                } else if (field.equals("model") && value == JsonToken.START_OBJECT) {
                    readModel(p, ids);
                } else {
                    p.skipChildren();
                }
            }
            // Added tokens win: they are matched before the model ever sees the text.
            ids.putAll(added);
            return ids;
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new ModelFormatException(tokenizerJson + ": file not found");
        } catch (JsonParseException e) {
            throw new ModelFormatException(tokenizerJson + ": malformed JSON (" + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new ModelFormatException(tokenizerJson + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static void readModel(JsonParser p, Map<String, Integer> ids) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("vocab") && value == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String token = p.currentName();
                    if (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
                        ids.put(token, p.getIntValue());
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
    }
}
