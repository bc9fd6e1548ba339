package io.jneuron.core.model;

import java.util.List;

/**
 * Special token ids from {@code generation_config.json}, {@code tokenizer_config.json} and
 * {@code config.json} (in that order of precedence). {@code eosIds} may hold several ids (Llama 3
 * lists more than one); any of them stops generation. Missing ids are null / empty.
 */
public record SpecialTokens(Integer bosId, List<Integer> eosIds, Integer padId) {
    public SpecialTokens {
        eosIds = List.copyOf(eosIds);
    }

    public boolean isEos(int id) {
        return eosIds.contains(id);
    }
}
