package io.jneuron.core.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an encoder's config.json says beyond {@link ModelConfig}: its head, labels, token types and how
 * positions are numbered.
 *
 * @param labels         {@code id2label} in id order ({@code LABEL_i} where missing); empty without a head
 * @param multiLabel     {@code problem_type} is {@code multi_label_classification} (sigmoid, not softmax)
 * @param typeVocabSize  token types (0 for DistilBERT, which has none)
 * @param positionOffset first position id of a real token: RoBERTa counts from {@code pad_token_id + 1}
 */
public record EncoderConfig(Architecture architecture, EncoderHead head, String headClass, List<String> labels,
                            boolean multiLabel, int typeVocabSize, int positionOffset) {

    public static EncoderConfig read(Path configJson) {
        JsonNode c = Json.readTree(configJson);
        ModelConfig m = ConfigReader.read(configJson);
        if (!m.architecture().isEncoder()) {
            throw new ModelFormatException(configJson + ": model_type '" + m.architecture().modelType()
                    + "' is a decoder; encoder pipelines run bert, distilbert, roberta and xlm-roberta");
        }
        String cls = c.path("architectures").path(0).asText("");
        EncoderHead head = EncoderHead.ofClass(cls);
        int numLabels = c.hasNonNull("id2label") ? c.get("id2label").size() : c.path("num_labels").asInt(2);
        Map<Integer, String> byId = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = c.path("id2label").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                byId.put(Integer.parseInt(e.getKey()), e.getValue().asText());
            } catch (NumberFormatException ex) {
                throw new ModelFormatException(configJson + ": id2label key '" + e.getKey() + "' is not an integer");
            }
        }
        List<String> labels = new ArrayList<>();
        if (head == EncoderHead.SEQUENCE_CLASSIFICATION || head == EncoderHead.TOKEN_CLASSIFICATION) {
            for (int i = 0; i < numLabels; i++) {
                labels.add(byId.getOrDefault(i, "LABEL_" + i));
            }
        }
        boolean roberta = m.architecture() == Architecture.ROBERTA || m.architecture() == Architecture.XLM_ROBERTA;
        int types = m.architecture() == Architecture.DISTILBERT ? 0 : c.path("type_vocab_size").asInt(2);
        int offset = roberta ? c.path("pad_token_id").asInt(1) + 1 : 0;
        return new EncoderConfig(m.architecture(), head, cls, labels,
                "multi_label_classification".equals(c.path("problem_type").asText("")), types, offset);
    }
}
