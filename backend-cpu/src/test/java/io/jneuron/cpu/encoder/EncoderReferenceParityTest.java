package io.jneuron.cpu.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.EncoderRunner;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.export.ExportRequest;
import io.jneuron.core.export.Exporter;
import io.jneuron.core.export.ModelOpener;
import io.jneuron.core.export.ShapeRequest;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.EncoderHead;
import io.jneuron.core.pipeline.PipelineOutput;
import io.jneuron.core.pipeline.PipelineRequest;
import io.jneuron.core.pipeline.PipelineResult;
import io.jneuron.core.service.Context;
import io.jneuron.core.service.PipelineService;
import io.jneuron.core.shape.DType;
import io.jneuron.core.testing.TinyEncoders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random-weight checkpoints of every architecture and head against the independent fp64 numpy reference
 * ({@code src/test/python/reference_encoder.py}): two rows of different lengths in one batch (padding),
 * token types for BERT, RoBERTa's offset positions, hidden states and head logits of every real token.
 */
class EncoderReferenceParityTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path REFERENCE = Path.of("src/test/python/reference_encoder.py");
    static final Settings SETTINGS = new Settings("cpu", 2);
    /** Two rows in one static batch of 2 x 16: 9 and 5 real tokens. */
    static final int[][] IDS = {{2, 7, 9, 40, 12, 3, 30, 33, 3}, {2, 20, 11, 17, 3}};
    static final int[][] TYPES = {{0, 0, 0, 0, 0, 0, 1, 1, 1}, {0, 0, 0, 0, 0}};

    @TempDir
    Path tmp;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Architecture a : List.of(Architecture.BERT, Architecture.DISTILBERT, Architecture.ROBERTA,
                Architecture.XLM_ROBERTA)) {
            for (EncoderHead h : EncoderHead.values()) {
                out.add(Arguments.of(a, h));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void hiddenStatesAndHeadLogitsMatchTheReference(Architecture arch, EncoderHead head) throws Exception {
        double[] worst = run(arch, head, DType.FP32);
        System.out.printf("%s %s vs fp64 reference: hidden %.2e, logits %.2e%n", arch, head, worst[0], worst[1]);
        assertTrue(worst[0] <= 1e-4 && worst[1] <= 1e-4, arch + " " + head + ": hidden " + worst[0] + ", logits "
                + worst[1]);
    }

    @Test
    void bf16WeightsStayWithinTheirBound() throws Exception {
        double[] worst = run(Architecture.BERT, EncoderHead.SEQUENCE_CLASSIFICATION, DType.BF16);
        System.out.printf("tiny BERT bf16 vs fp64 reference: hidden %.2e, logits %.2e%n", worst[0], worst[1]);
        assertTrue(worst[0] <= 5e-2 && worst[1] <= 5e-2, "bf16 hidden " + worst[0] + ", logits " + worst[1]);
    }

    /** Max |difference| of hidden states and of logits against the reference. */
    private double[] run(Architecture arch, EncoderHead head, DType dtype) throws Exception {
        Path model = TinyEncoders.generate(arch, head, 7, tmp.resolve("model"));
        String task = taskOf(head);
        Exporter.export(new ExportRequest(model.toString(), tmp.resolve("out"), task, new ShapeRequest(2, 16, dtype,
                null), null, null, null, tmp.resolve("cache").toString()), SETTINGS, ProgressListener.NONE);
        boolean types = arch == Architecture.BERT;
        int pad = arch == Architecture.ROBERTA || arch == Architecture.XLM_ROBERTA ? 1 : 0;
        int[] ids = new int[32];
        int[] typeIds = new int[32];
        int[] mask = new int[32];
        java.util.Arrays.fill(ids, pad);
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), REFERENCE.toString(), model.toString()));
        for (int r = 0; r < 2; r++) {
            for (int t = 0; t < IDS[r].length; t++) {
                ids[r * 16 + t] = IDS[r][t];
                typeIds[r * 16 + t] = types ? TYPES[r][t] : 0;
                mask[r * 16 + t] = 1;
            }
            cmd.addAll(List.of("--ids", join(IDS[r]), "--types", join(types ? TYPES[r] : new int[IDS[r].length])));
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        JsonNode ref = new ObjectMapper().readTree(p.getInputStream().readAllBytes()).get("rows");
        assertEquals(0, p.waitFor());
        double worstHidden = 0;
        double worstLogits = 0;
        try (ModelOpener.Opened o = ModelOpener.open(tmp.resolve("out").toString(), ShapeRequest.NONE, SETTINGS,
                ProgressListener.NONE)) {
            EncoderRunner enc = o.model().encoder().orElseThrow();
            assertEquals(head, enc.head());
            float[] hidden = enc.encode(ids, typeIds, mask);
            int h = enc.hiddenSize();
            for (int r = 0; r < 2; r++) {
                for (int t = 0; t < IDS[r].length; t++) {
                    for (int i = 0; i < h; i++) {
                        worstHidden = Math.max(worstHidden, Math.abs(hidden[(r * 16 + t) * h + i]
                                - ref.get(r).get("hidden").get(t).get(i).asDouble()));
                    }
                }
            }
            if (head == EncoderHead.SEQUENCE_CLASSIFICATION) {
                float[] logits = enc.head(hidden, null);
                for (int r = 0; r < 2; r++) {
                    for (int i = 0; i < enc.headWidth(); i++) {
                        worstLogits = Math.max(worstLogits, Math.abs(logits[r * enc.headWidth() + i]
                                - ref.get(r).get("logits").get(i).asDouble()));
                    }
                }
            } else if (head != EncoderHead.NONE) {
                for (int r = 0; r < 2; r++) {
                    int[] rows = new int[IDS[r].length];
                    for (int t = 0; t < rows.length; t++) {
                        rows[t] = r * 16 + t;
                    }
                    float[] logits = enc.head(hidden, rows);
                    int w = enc.headWidth();
                    for (int t = 0; t < rows.length; t++) {
                        for (int i = 0; i < w; i++) {
                            worstLogits = Math.max(worstLogits, Math.abs(logits[t * w + i]
                                    - ref.get(r).get("logits").get(t).get(i).asDouble()));
                        }
                    }
                }
            }
        }
        return new double[] {worstHidden, worstLogits};
    }

    @Test
    void pipelinesTurnHeadsIntoLabelsEntitiesMasksAndSpans() throws Exception {
        Path cls = TinyEncoders.generate(Architecture.DISTILBERT, EncoderHead.SEQUENCE_CLASSIFICATION, 3,
                tmp.resolve("cls"));
        PipelineResult r = pipeline("text-classification", cls, List.of("the man is eating food .", "paris", "a city",
                "john lives in berlin"), null, null);
        assertEquals(4, r.outputs().size(), "4 inputs through a compiled batch of 2: two runs");
        for (PipelineOutput o : r.outputs()) {
            PipelineOutput.Classification c = (PipelineOutput.Classification) o;
            assertEquals(1.0, c.scores().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
            assertEquals(c.score(), c.scores().get(c.label()), 0);
        }
        Path ner = TinyEncoders.generate(Architecture.BERT, EncoderHead.TOKEN_CLASSIFICATION, 3, tmp.resolve("ner"));
        String text = "John lives in Berlin, the capital of Germany.";
        PipelineOutput.Entities ents = (PipelineOutput.Entities) pipeline("token-classification", ner, List.of(text),
                null, null).outputs().get(0);
        for (PipelineOutput.Entity e : ents.entities()) {
            assertEquals(text.substring(e.start(), e.end()), e.word());
            assertTrue(!e.entity().equals("O"));
        }
        // --aggregation none / simple on the same model: a simple group spans adjacent "none" tokens of its tag
        // and scores their mean (the grouping rules themselves are hand-checked in core's EntityAggregationTest).
        List<PipelineOutput.Entity> tokens = entities(ner, text, "none");
        List<PipelineOutput.Entity> groups = entities(ner, text, "simple");
        assertTrue(!tokens.isEmpty() && tokens.stream().allMatch(e -> e.index() != null && !e.group()));
        for (PipelineOutput.Entity g : groups) {
            assertTrue(g.group() && g.start() < g.end() && g.end() <= text.length(), g.toString());
            List<PipelineOutput.Entity> inside = tokens.stream().filter(t -> t.start() >= g.start() && t.end() <= g.end())
                    .toList();
            assertTrue(!inside.isEmpty(), g.toString());
            inside.forEach(t -> assertEquals(g.entity(), t.entity().substring(t.entity().indexOf('-') + 1)));
            // 1e-6, not exact: the two runs are separate forward passes, and one may run before the JIT has compiled
            // the kernels (the Vector API's interpreted reductions add lanes in another order)
            assertEquals(inside.stream().mapToDouble(PipelineOutput.Entity::score).average().orElseThrow(), g.score(), 1e-6,
                    g.toString());
        }
        Path mlm = TinyEncoders.generate(Architecture.ROBERTA, EncoderHead.MASKED_LM, 3, tmp.resolve("mlm"));
        PipelineOutput.FillMask fm = (PipelineOutput.FillMask) pipeline("fill-mask", mlm,
                List.of("paris is the <mask> of france ."), null, null).outputs().get(0);
        assertEquals(3, fm.predictions().size());
        assertTrue(fm.predictions().get(0).score() >= fm.predictions().get(1).score());
        Path qa = TinyEncoders.generate(Architecture.XLM_ROBERTA, EncoderHead.QUESTION_ANSWERING, 3, tmp.resolve("qa"));
        String context = "John lives in Berlin.";
        PipelineOutput.Answer a = (PipelineOutput.Answer) pipeline("question-answering", qa, null, "where does john live?",
                context).outputs().get(0);
        assertEquals(context.substring(a.start(), a.end()), a.answer());
        assertTrue(a.score() > 0 && a.score() <= 1);
    }

    private List<PipelineOutput.Entity> entities(Path model, String text, String aggregation) {
        return ((PipelineOutput.Entities) PipelineService.run(new PipelineRequest("token-classification", model.toString(),
                List.of(text), null, null, 3, new ShapeRequest(2, 24, DType.FP32, null), null, false, aggregation),
                Context.fromEnvironment().withSettings(new Settings("cpu", 2, tmp.resolve("x").toString())))
                .outputs().get(0)).entities();
    }

    private PipelineResult pipeline(String task, Path model, List<String> inputs, String q, String c) {
        return PipelineService.run(new PipelineRequest(task, model.toString(), inputs, q, c, 3,
                new ShapeRequest(2, 24, DType.FP32, null), null, false), Context.fromEnvironment().withSettings(
                new Settings("cpu", 2, tmp.resolve("x").toString())));
    }

    private static String taskOf(EncoderHead h) {
        return switch (h) {
            case SEQUENCE_CLASSIFICATION -> "text-classification";
            case TOKEN_CLASSIFICATION -> "token-classification";
            case MASKED_LM -> "fill-mask";
            case QUESTION_ANSWERING -> "question-answering";
            default -> "feature-extraction";
        };
    }

    private static String join(int[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? "" : ",").append(v[i]);
        }
        return b.toString();
    }
}
