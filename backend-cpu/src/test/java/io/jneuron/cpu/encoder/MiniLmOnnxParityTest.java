package io.jneuron.cpu.encoder;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.cli.Main;
import io.jneuron.core.export.ExportRequest;
import io.jneuron.core.export.ExportResult;
import io.jneuron.core.export.Exporter;
import io.jneuron.core.export.ShapeRequest;
import io.jneuron.core.pipeline.PipelineOutput;
import io.jneuron.core.pipeline.PipelineRequest;
import io.jneuron.core.pipeline.PipelineResult;
import io.jneuron.core.service.Context;
import io.jneuron.core.service.PipelineService;
import io.jneuron.core.shape.DType;
import io.jneuron.core.shape.ShapeException;
import io.jneuron.core.testing.MiniLmFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trained all-MiniLM-L6-v2 (from its Maven artifact) converted, exported and run by jneuron, against
 * ONNX Runtime running the original ONNX file of the same jar: last hidden states and sentence
 * embeddings within 1e-4, token ids as the published BERT vocabulary has them.
 */
class MiniLmOnnxParityTest {
    static final List<String> SENTENCES = List.of("A man is eating food.", "A man is eating a piece of bread.",
            "The girl is carrying a baby.", "A man is riding a horse.",
            "Jneuron compiles static shapes; padding to the sequence length is real work.");
    /** Ids from bert-base-uncased's vocab.txt: [CLS] a man is eating food . [SEP]. */
    static final int[] FIRST_IDS = {101, 1037, 2158, 2003, 5983, 2833, 1012, 102};

    @TempDir
    static Path tmp;
    static Path onnx;
    static Path folder;
    static Path cache;
    static final Settings SETTINGS = new Settings("cpu", 2);
    static final Context CONTEXT = Context.fromEnvironment().withSettings(SETTINGS);

    @BeforeAll
    static void convert() throws Exception {
        URL url = MiniLmOnnxParityTest.class.getClassLoader().getResource("all-minilm-l6-v2.onnx");
        assertNotNull(url, "the test classpath lacks " + MiniLmFolder.ARTIFACT);
        Path jar = Path.of(((JarURLConnection) url.openConnection()).getJarFileURL().toURI());
        folder = MiniLmFolder.write(jar, tmp.resolve("minilm")).directory();
        onnx = tmp.resolve("original.onnx");
        try (InputStream in = url.openStream()) {
            Files.copy(in, onnx);
        }
        cache = tmp.resolve("cache");
    }

    static Path export(String name, DType dtype) {
        ExportResult r = Exporter.export(new ExportRequest(folder.toString(), tmp.resolve(name), "feature-extraction",
                new ShapeRequest(4, 32, dtype, null), null, null, null, cache.toString()), SETTINGS, ProgressListener.NONE);
        return r.exported().folder();
    }

    static PipelineResult embed(Path model, String pooling) {
        return PipelineService.run(new PipelineRequest("feature-extraction", model.toString(), SENTENCES, null, null, 5,
                ShapeRequest.NONE, pooling, false), CONTEXT);
    }

    /** ONNX Runtime's last_hidden_state for one unpadded sentence, [tokens][384]. */
    static float[][] ort(OrtEnvironment env, OrtSession s, int[] ids) throws Exception {
        long[][] in = new long[1][ids.length];
        long[][] mask = new long[1][ids.length];
        for (int i = 0; i < ids.length; i++) {
            in[0][i] = ids[i];
            mask[0][i] = 1;
        }
        try (OnnxTensor a = OnnxTensor.createTensor(env, in); OnnxTensor b = OnnxTensor.createTensor(env, mask);
             OnnxTensor c = OnnxTensor.createTensor(env, new long[1][ids.length]);
             OrtSession.Result r = s.run(Map.of("input_ids", a, "attention_mask", b, "token_type_ids", c))) {
            return ((float[][][]) r.get(0).getValue())[0];
        }
    }

    /** sentence-transformers' mean pooling and L2 normalisation, in double. */
    static float[] meanNormalized(float[][] tokens) {
        double[] sum = new double[tokens[0].length];
        for (float[] t : tokens) {
            for (int i = 0; i < t.length; i++) {
                sum[i] += t[i];
            }
        }
        double norm = 0;
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= tokens.length;
            norm += sum[i] * sum[i];
        }
        float[] out = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            out[i] = (float) (sum[i] / Math.sqrt(norm));
        }
        return out;
    }

    static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void embeddingsAndHiddenStatesMatchOnnxRuntimeWithinOneE4() throws Exception {
        Path fp32 = export("minilm-fp32", DType.FP32);
        PipelineResult pooled = embed(fp32, null);
        PipelineResult tokens = embed(fp32, "none");
        assertEquals(SENTENCES.size(), pooled.outputs().size(), "5 inputs run as two batches of 4");
        assertArrayEquals(FIRST_IDS, ((PipelineOutput.Embedding) pooled.outputs().get(0)).inputIds());
        double worstEmbedding = 0;
        double worstHidden = 0;
        try (OrtEnvironment env = OrtEnvironment.getEnvironment();
             OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(2);
            try (OrtSession s = env.createSession(onnx.toString(), opts)) {
                for (int i = 0; i < SENTENCES.size(); i++) {
                    PipelineOutput.Embedding e = (PipelineOutput.Embedding) pooled.outputs().get(i);
                    float[][] ref = ort(env, s, e.inputIds());
                    worstEmbedding = Math.max(worstEmbedding, maxDiff(meanNormalized(ref), e.embedding()));
                    float[][] mine = ((PipelineOutput.Embedding) tokens.outputs().get(i)).tokenEmbeddings();
                    assertEquals(ref.length, mine.length);
                    for (int t = 0; t < ref.length; t++) {
                        worstHidden = Math.max(worstHidden, maxDiff(ref[t], mine[t]));
                    }
                }
            }
        }
        System.out.printf("MiniLM vs ONNX Runtime: max |embedding diff| %.2e, max |hidden diff| %.2e%n",
                worstEmbedding, worstHidden);
        assertTrue(worstEmbedding <= 1e-4, "embedding diff " + worstEmbedding);
        assertTrue(worstHidden <= 1e-4, "hidden-state diff " + worstHidden);
    }

    @Test
    void bf16EmbeddingsStayWithinTheirBoundAndKeepTheNeighbours() {
        Path fp32 = export("minilm-fp32b", DType.FP32);
        Path bf16 = export("minilm-bf16", DType.BF16);
        PipelineResult a = embed(fp32, null);
        PipelineResult b = embed(bf16, null);
        double worst = 0;
        for (int i = 0; i < SENTENCES.size(); i++) {
            worst = Math.max(worst, maxDiff(((PipelineOutput.Embedding) a.outputs().get(i)).embedding(),
                    ((PipelineOutput.Embedding) b.outputs().get(i)).embedding()));
        }
        System.out.printf("MiniLM bf16 vs fp32: max |embedding diff| %.2e%n", worst);
        assertTrue(worst <= 2e-2, "bf16 embedding diff " + worst);
    }

    @Test
    void theEncoderEntryIsLookedUpWithOptimumsStaticShapeKeys() throws Exception {
        export("minilm-lookup", DType.FP32);
        StringWriter out = new StringWriter();
        int code = Main.commandLine(new PrintWriter(out), new PrintWriter(new StringWriter())).execute("cache", "lookup",
                folder.toString(), "--task", "feature-extraction", "--batch_size", "4", "--cache_dir", cache.toString(),
                "--format", "json");
        assertEquals(0, code, out.toString());
        JsonNode rows = new ObjectMapper().readTree(out.toString());
        assertTrue(rows.size() >= 1, out.toString());
        for (JsonNode r : rows) {
            assertEquals(4, r.get("batch_size").asInt());
            assertEquals(32, r.get("sequence_length").asInt());
        }
        Path entry = Files.walk(cache.resolve("jneuron-cpu-0.1.0")).filter(p -> p.toString().endsWith(".json")
                && p.toString().contains("0_REGISTRY")).findFirst().orElseThrow();
        JsonNode neuron = new ObjectMapper().readTree(entry.toFile()).get("neuron");
        assertEquals(4, neuron.get("static_batch_size").asInt());
        assertEquals(32, neuron.get("static_sequence_length").asInt());
        assertEquals("feature-extraction", neuron.get("task").asText());
        assertTrue(neuron.has("auto_cast") && neuron.has("auto_cast_type"));
    }

    @Test
    void aLongInputIsRefusedWithItsLengthUnlessTruncationIsAsked() {
        Path fp32 = export("minilm-long", DType.FP32);
        String longText = "word ".repeat(40);
        ShapeException e = assertThrows(ShapeException.class, () -> PipelineService.run(new PipelineRequest(
                "feature-extraction", fp32.toString(), List.of("short", longText), null, null, 5, ShapeRequest.NONE,
                null, false), CONTEXT));
        assertEquals("input 2 is 42 tokens, longer than the compiled sequence_length 32; pass --truncation to cut it,"
                + " or export with --sequence_length 64", e.getMessage());
        PipelineResult r = PipelineService.run(new PipelineRequest("feature-extraction", fp32.toString(),
                List.of("short", longText), null, null, 5, ShapeRequest.NONE, null, true), CONTEXT);
        int[] ids = ((PipelineOutput.Embedding) r.outputs().get(1)).inputIds();
        assertEquals(32, ids.length);
        assertEquals(102, ids[31], "the final [SEP] is kept");
    }

    @Test
    void aTaskWithoutItsHeadIsAClearError() {
        Path fp32 = export("minilm-head", DType.FP32);
        Exception e = assertThrows(Exception.class, () -> PipelineService.run(new PipelineRequest(
                "text-classification", fp32.toString(), List.of("hi"), null, null, 5, ShapeRequest.NONE, null, false),
                CONTEXT));
        assertEquals("task text-classification needs a model with a ForSequenceClassification head, but "
                + fp32 + " is BertModel; use feature-extraction or a model fine-tuned for text-classification",
                e.getMessage());
        Exception ex = assertThrows(ShapeException.class, () -> Exporter.export(new ExportRequest(folder.toString(),
                tmp.resolve("cls"), "text-classification", new ShapeRequest(1, 16, DType.FP32, null), null, null, null,
                cache.toString()), SETTINGS, ProgressListener.NONE));
        assertTrue(ex.getMessage().contains("ForSequenceClassification head"), ex.getMessage());
    }
}
