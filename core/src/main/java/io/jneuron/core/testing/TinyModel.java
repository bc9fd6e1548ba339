package io.jneuron.core.testing;

import java.nio.file.Path;
import java.util.List;

/**
 * A checkpoint written by {@link TinyModels}.
 *
 * @param directory      the checkpoint folder (absolute)
 * @param parameterCount weights in the safetensors files (lm_head only when untied)
 * @param bytes          total size of the files
 * @param files          file names in the folder, sorted
 */
public record TinyModel(Path directory, TinyModelSpec spec, long parameterCount, long bytes, List<String> files) {
    public TinyModel {
        files = List.copyOf(files);
    }
}
