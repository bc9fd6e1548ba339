package io.jneuron.core.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;

/**
 * Normalises the config.json of a BERT-family encoder into a {@link ModelConfig}. DistilBERT spells its
 * sizes {@code dim}, {@code n_layers}, {@code n_heads}, {@code hidden_dim} and {@code activation}; the
 * others use BERT's names. Encoders have biases everywhere and tie the MLM decoder to the embeddings.
 */
final class EncoderConfigReader {
    private EncoderConfigReader() {
    }

    static ModelConfig read(Path file, JsonNode c, String modelType) {
        boolean distil = modelType.equals("distilbert");
        int hidden = ConfigReader.positive(file, c, distil ? "dim" : "hidden_size");
        int heads = ConfigReader.positive(file, c, distil ? "n_heads" : "num_attention_heads");
        ConfigReader.checkDivisible(file, distil ? "dim" : "hidden_size", hidden,
                distil ? "n_heads" : "num_attention_heads", heads);
        String act = c.path(distil ? "activation" : "hidden_act").asText("gelu");
        if (!act.equals("gelu") && !act.equals("relu") && !act.equals("gelu_new")) {
            throw new ModelFormatException(file + ": activation '" + act + "' is not supported; jneuron runs gelu,"
                    + " gelu_new and relu encoders");
        }
        String positions = c.path("position_embedding_type").asText("absolute");
        if (!positions.equals("absolute")) {
            throw new ModelFormatException(file + ": position_embedding_type '" + positions + "' is not supported;"
                    + " jneuron runs absolute position embeddings");
        }
        if (distil && c.path("sinusoidal_pos_embds").asBoolean(false)) {
            throw new ModelFormatException(file + ": sinusoidal_pos_embds is not supported; jneuron reads learned"
                    + " position embeddings");
        }
        Architecture arch = switch (modelType) {
            case "bert" -> Architecture.BERT;
            case "distilbert" -> Architecture.DISTILBERT;
            case "roberta" -> Architecture.ROBERTA;
            default -> Architecture.XLM_ROBERTA;
        };
        return new ModelConfig(arch, ConfigReader.positive(file, c, "vocab_size"), hidden,
                ConfigReader.positive(file, c, distil ? "n_layers" : "num_hidden_layers"), heads, heads,
                hidden / heads, ConfigReader.positive(file, c, distil ? "hidden_dim" : "intermediate_size"),
                ConfigReader.positive(file, c, "max_position_embeddings"),
                distil ? 1e-12 : ConfigReader.number(file, c, "layer_norm_eps", 1e-12), 0, null, true, act, true, true,
                ConfigReader.dtype(c));
    }
}
