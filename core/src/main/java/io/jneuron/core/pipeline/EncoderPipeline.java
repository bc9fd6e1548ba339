package io.jneuron.core.pipeline;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.EncoderRunner;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.export.ModelKeeper;
import io.jneuron.core.export.ModelOpener;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.model.EncoderConfig;
import io.jneuron.core.model.EncoderHead;
import io.jneuron.core.model.HfTokenizer;
import io.jneuron.core.model.ModelResolver;
import io.jneuron.core.model.TokenEncoding;
import io.jneuron.core.shape.ShapeException;
import io.jneuron.core.shape.ShapeSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The encoder pipelines behind {@code pipeline} and {@code %%neuron_pipeline}: open the model (an exported
 * folder, or a checkpoint exported on the fly with the given static shapes), tokenize every input with
 * offsets, run the inputs in batches of the compiled size (padding the last batch, padding every row to
 * the compiled sequence with a zero attention mask), and turn the encoder's states into each task's output.
 */
public final class EncoderPipeline {
    public static final List<String> TASKS = List.of(EncoderHead.FEATURE_EXTRACTION, "text-classification",
            "token-classification", "fill-mask", "question-answering");

    private EncoderPipeline() {
    }

    /** Runs {@code req}, resolving MODEL with {@code resolver}; {@code PipelineService} is the front ends' entry. */
    public static PipelineResult run(PipelineRequest req, ModelResolver resolver, Settings settings,
                                     ProgressListener progress) {
        return run(req, resolver, settings, progress, null);
    }

    /** As above, the model opened through {@code models} when not null (a kernel's, kept between cells). */
    public static PipelineResult run(PipelineRequest req, ModelResolver resolver, Settings settings,
                                     ProgressListener progress, ModelKeeper models) {
        if (!TASKS.contains(req.task())) {
            throw new NeuronKernelException("unknown pipeline task '" + req.task() + "'; use one of " + TASKS);
        }
        List<String[]> texts = texts(req);
        if (!resolver.resolve(req.model(), ModelResolver.Need.RUN).exported()
                && (req.shape().batchSize() == null || req.shape().sequenceLength() == null)) {
            throw new ShapeException(req.model() + " is not an exported model; encoders need static shapes to be"
                    + " exported on the fly: give --batch_size and --sequence_length");
        }
        long t0 = System.nanoTime();
        try (ModelOpener.Opened opened = ModelOpener.open(models, resolver, req.model(), req.shape(), settings, progress,
                true)) {
            return opened.use(o -> run(req, texts, o, progress, t0));
        }
    }

    private static PipelineResult run(PipelineRequest req, List<String[]> texts, ModelOpener.Opened opened,
                                      ProgressListener progress, long t0) {
        EncoderRunner enc = opened.model().encoder().orElseThrow(() -> new NeuronKernelException(req.model()
                + " is a " + opened.model().config().architecture().modelType() + " decoder; pipelines run"
                + " encoders (use generate for decoders)"));
        if (!(opened.tokenizer() instanceof HfTokenizer tok)) {
            throw new NeuronKernelException(req.model() + " has no tokenizer.json; pipelines need one");
        }
        EncoderConfig cfg = EncoderConfig.read(opened.exported().folder().resolve(Checkpoint.CONFIG));
        EncoderHead needed = EncoderHead.forTask(req.task());
        if (needed != null && enc.head() != needed) {
            throw new NeuronKernelException("task " + req.task() + " needs a model with a " + needed.classSuffix()
                    + " head, but " + req.model() + " is " + (cfg.headClass().isEmpty() ? "a bare encoder"
                    : cfg.headClass()) + "; use feature-extraction or a model fine-tuned for " + req.task());
        }
        double loadMs = (System.nanoTime() - t0) / 1e6;
        long t1 = System.nanoTime();
        ShapeSpec shape = enc.shape();
        List<TokenEncoding> encodings = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            encodings.add(fit(tok.encodeWithOffsets(texts.get(i)[0], texts.get(i)[1]), i, shape, req.truncation()));
        }
        TaskOutputs post = new TaskOutputs(req, cfg, tok, opened.exported().folder(), enc.hiddenSize());
        List<PipelineOutput> outputs = new ArrayList<>();
        int seq = shape.sequenceLength();
        int tokens = shape.batchSize() * seq;
        for (ShapeSpec.BatchRun run : shape.planBatches(encodings.size(), true)) {
            progress.progress("batch", (double) run.firstRow() / encodings.size());
            int[] ids = new int[tokens];
            int[] types = new int[tokens];
            int[] mask = new int[tokens];
            for (int r = 0; r < run.realRows(); r++) {
                TokenEncoding e = encodings.get(run.firstRow() + r);
                System.arraycopy(e.ids(), 0, ids, r * seq, e.length());
                System.arraycopy(e.typeIds(), 0, types, r * seq, e.length());
                Arrays.fill(mask, r * seq, r * seq + e.length(), 1);
            }
            float[] hidden = enc.encode(ids, types, mask);
            List<TokenEncoding> rows = encodings.subList(run.firstRow(), run.firstRow() + run.realRows());
            outputs.addAll(post.outputs(enc, hidden, rows, seq, texts.subList(run.firstRow(),
                    run.firstRow() + run.realRows())));
        }
        double runMs = (System.nanoTime() - t1) / 1e6;
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("load_ms", loadMs);
        timings.put("run_ms", runMs);
        timings.put("inputs_per_s", texts.size() / (runMs / 1000));
        return new PipelineResult(req.task(), opened.exported().backend(), shape.batchSize(), seq,
                texts.stream().map(t -> t[0]).toList(), outputs, timings);
    }

    /** Each input as {text, pair}: the pair is the context of question answering. */
    private static List<String[]> texts(PipelineRequest req) {
        List<String[]> out = new ArrayList<>();
        if (req.task().equals("question-answering")) {
            if (req.question() == null || req.context() == null) {
                throw new NeuronKernelException("question-answering needs --question Q and --context C");
            }
            out.add(new String[] {req.question(), req.context()});
            return out;
        }
        if (req.inputs() == null || req.inputs().isEmpty()) {
            throw new NeuronKernelException("no input; give --input TEXT (once per input)");
        }
        req.inputs().forEach(t -> out.add(new String[] {t, null}));
        return out;
    }

    /**
     * The encoding when it fits the compiled sequence; cut (keeping the final special token) with
     * {@code truncate}; a clear error naming the length otherwise.
     */
    static TokenEncoding fit(TokenEncoding e, int index, ShapeSpec shape, boolean truncate) {
        int seq = shape.sequenceLength();
        if (e.length() <= seq) {
            return e;
        }
        if (!truncate) {
            throw new ShapeException("input " + (index + 1) + " is " + e.length() + " tokens, longer than the compiled"
                    + " sequence_length " + seq + "; pass --truncation to cut it, or export with --sequence_length "
                    + Integer.highestOneBit(e.length() - 1) * 2);
        }
        int last = e.length() - 1;
        int[] keep = new int[seq];
        for (int i = 0; i < seq - 1; i++) {
            keep[i] = i;
        }
        keep[seq - 1] = last;
        return new TokenEncoding(pick(e.ids(), keep), pick(e.typeIds(), keep), pick(e.starts(), keep),
                pick(e.ends(), keep), pick(e.wordIds(), keep), pick(e.sequenceIds(), keep), pick(e.special(), keep));
    }

    private static int[] pick(int[] a, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }

    private static boolean[] pick(boolean[] a, int[] idx) {
        boolean[] out = new boolean[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }
}
