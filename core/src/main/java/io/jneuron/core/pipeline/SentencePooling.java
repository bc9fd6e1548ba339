package io.jneuron.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jneuron.core.model.ModelFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How feature-extraction turns token states into one vector, as the model's sentence-transformers files
 * say ({@code modules.json}, {@code 1_Pooling/config.json}, a {@code Normalize} module): CLS token, mean
 * over real tokens (the default when the model has no such files), or none (every token's state).
 */
public record SentencePooling(String mode, boolean normalize) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The model folder's pooling, overridden by {@code --pooling} when not null. */
    public static SentencePooling of(Path folder, String override) {
        String mode = "mean";
        boolean normalize = false;
        Path modules = folder.resolve("modules.json");
        if (Files.isRegularFile(modules)) {
            for (JsonNode m : read(modules)) {
                String type = m.path("type").asText("");
                if (type.endsWith(".Normalize")) {
                    normalize = true;
                } else if (type.endsWith(".Pooling")) {
                    Path cfg = folder.resolve(m.path("path").asText("1_Pooling")).resolve("config.json");
                    if (Files.isRegularFile(cfg)) {
                        JsonNode p = read(cfg);
                        mode = p.path("pooling_mode_cls_token").asBoolean(false) ? "cls" : "mean";
                    }
                }
            }
        }
        if (override != null) {
            if (!override.equals("cls") && !override.equals("mean") && !override.equals("none")) {
                throw new io.jneuron.core.NeuronKernelException("unknown --pooling '" + override + "'; use cls, mean or none");
            }
            mode = override;
        }
        if (mode.equals("none")) {
            normalize = false;
        }
        return new SentencePooling(mode, normalize);
    }

    /** Pools {@code hidden[(row*seq + t)*h ..]} over the {@code length} real tokens of one row. */
    float[] pool(float[] hidden, int row, int seq, int h, int length) {
        float[] out = new float[h];
        int base = row * seq * h;
        if (mode.equals("cls")) {
            System.arraycopy(hidden, base, out, 0, h);
        } else {
            double[] sum = new double[h];
            for (int t = 0; t < length; t++) {
                for (int i = 0; i < h; i++) {
                    sum[i] += hidden[base + t * h + i];
                }
            }
            for (int i = 0; i < h; i++) {
                out[i] = (float) (sum[i] / length);
            }
        }
        if (normalize) {
            double norm = 0;
            for (float v : out) {
                norm += (double) v * v;
            }
            // sentence-transformers divides by max(norm, 1e-12)
            double d = Math.max(Math.sqrt(norm), 1e-12);
            for (int i = 0; i < h; i++) {
                out[i] = (float) (out[i] / d);
            }
        }
        return out;
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
