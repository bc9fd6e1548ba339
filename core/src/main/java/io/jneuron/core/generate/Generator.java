package io.jneuron.core.generate;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.backend.DecodeSession;
import io.jneuron.core.backend.LoadedModel;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.model.SpecialTokens;
import io.jneuron.core.model.TextTokenizer;
import io.jneuron.core.shape.ShapeException;
import io.jneuron.core.shape.ShapeSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The generation loop every backend shares. For a request it:
 * <ol>
 *   <li>checks every prompt row against the compiled shapes ({@link ShapeSpec#checkFits}: prompt
 *       length + max_new_tokens &lt;= sequence_length; the message names the row when there are
 *       several) and against the vocabulary;</li>
 *   <li>plans runs of the compiled batch size ({@link ShapeSpec#planBatches}): a smaller batch is padded
 *       with 1-token dummy rows, a larger one is split or refused as the request says;</li>
 *   <li>opens one {@link DecodeSession} for the call (prefill restarts its KV cache, so runs reuse it)
 *       and closes it before returning or throwing;</li>
 *   <li>per run: pads the prompts on the right with the pad id to the smallest bucket holding the
 *       longest one, prefills once, chooses each row's first token from the prefill logits, then decodes
 *       one step at a time until every real row produced an EOS id or max_new_tokens tokens;</li>
 *   <li>streams every token to the request's {@link TokenListener} with its text delta.</li>
 * </ol>
 *
 * <p>Interruption: if the thread is interrupted, the generator stops before the next prefill or
 * decode step and throws {@link GenerationInterruptedException} carrying the partial result.
 *
 * <p>Reusable and stateless between calls; one call at a time per thread (the model may be shared).
 */
public final class Generator {
    private final LoadedModel model;
    private final TextTokenizer tokenizer;

    /**
     * @param model     the loaded model; its {@link LoadedModel#shape()} gives the static shapes
     * @param tokenizer decodes text, EOS and pad ids; null when the caller works with ids only (texts
     *                  and text deltas are then null, EOS ids come from the request alone)
     */
    public Generator(LoadedModel model, TextTokenizer tokenizer) {
        this.model = Objects.requireNonNull(model, "model");
        this.tokenizer = tokenizer;
    }

    /**
     * Generates for every prompt row of {@code request}.
     *
     * @throws ShapeException                   a row does not fit the compiled shapes, or there are more
     *                                          rows than the batch size and splitting is off
     * @throws GenerationInterruptedException   the thread was interrupted (partial result attached)
     * @throws NeuronKernelException            a prompt id is outside the vocabulary, or the backend failed
     */
    public GenerationResult generate(GenerationRequest request) {
        Meter meter = new Meter(System.nanoTime());
        ShapeSpec shape = model.shape();
        checkRows(shape, request);
        List<ShapeSpec.BatchRun> runs = shape.planBatches(request.rows(), request.splitBatches());
        int padId = padId(request);
        int[] eosIds = eosIds(request);
        Sampler sampler = new Sampler(request.sampling(), request.rows());
        List<GenerationResult.Row> rows = new ArrayList<>(request.rows());
        boolean interrupted = false;
        try (DecodeSession session = model.newSession()) {
            for (ShapeSpec.BatchRun run : runs) {
                BatchLoop loop = new BatchLoop(request, shape, run, padId, eosIds, sampler, tokenizer, meter);
                rows.addAll(loop.execute(session));
                if (loop.interrupted()) {
                    interrupted = true;
                    break;
                }
            }
        }
        GenerationResult result = new GenerationResult(shape.batchSize(), shape.sequenceLength(), rows,
                meter.timings());
        if (interrupted) {
            throw new GenerationInterruptedException("generation interrupted; " + rows.size() + " of "
                    + request.rows() + " prompt rows had started, their tokens so far are kept", result);
        }
        return result;
    }

    private void checkRows(ShapeSpec shape, GenerationRequest request) {
        ModelConfig config = model.config();
        int vocab = config == null ? Integer.MAX_VALUE : config.vocabSize();
        boolean several = request.rows() > 1;
        for (int r = 0; r < request.rows(); r++) {
            try {
                shape.checkFits(request.promptLength(r), request.maxNewTokens(),
                        config == null ? Integer.MAX_VALUE : config.maxSequenceLength());
            } catch (ShapeException e) {
                if (!several) {
                    throw e;
                }
                throw new ShapeException("prompt row " + r + " (of " + request.rows() + "): " + e.getMessage());
            }
            for (int i = 0; i < request.promptLength(r); i++) {
                int id = request.promptId(r, i);
                if (id < 0 || id >= vocab) {
                    throw new NeuronKernelException((several ? "prompt row " + r + ", " : "prompt ")
                            + "position " + i + ": token id " + id + " is outside the model's vocabulary 0.."
                            + (vocab - 1) + "; check the ids or the tokenizer");
                }
            }
        }
    }

    private int padId(GenerationRequest request) {
        ModelConfig config = model.config();
        int vocab = config == null ? Integer.MAX_VALUE : config.vocabSize();
        if (request.padId() != null) {
            int pad = request.padId();
            if (pad < 0 || pad >= vocab) {
                throw new NeuronKernelException("pad id " + pad + " is outside the model's vocabulary 0.."
                        + (vocab - 1));
            }
            return pad;
        }
        SpecialTokens special = tokenizer == null ? null : tokenizer.specialTokens();
        Integer pad = special == null ? null : special.padId();
        // Configs sometimes carry pad_token_id = -1 or an id past the embedding table; padding is
        // never attended to, so any valid id works and 0 is always one.
        return pad != null && pad >= 0 && pad < vocab ? pad : 0;
    }

    private int[] eosIds(GenerationRequest request) {
        List<Integer> ids = request.eosIds();
        if (ids == null) {
            SpecialTokens special = tokenizer == null ? null : tokenizer.specialTokens();
            ids = special == null ? List.of() : special.eosIds();
        }
        int[] out = new int[ids.size()]; // a loop: no lambda to spin in the first generation (see GenerationRequest)
        for (int i = 0; i < out.length; i++) {
            out[i] = ids.get(i);
        }
        return out;
    }
}
