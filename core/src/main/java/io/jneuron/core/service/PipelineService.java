package io.jneuron.core.service;

import io.jneuron.core.pipeline.EncoderPipeline;
import io.jneuron.core.pipeline.PipelineRequest;
import io.jneuron.core.pipeline.PipelineResult;

/**
 * {@code pipeline}: an encoder task (feature-extraction, text-classification, token-classification, fill-mask,
 * question-answering) on an exported folder, a checkpoint exported on the fly with static shapes, or a Hub id.
 */
public final class PipelineService {
    private PipelineService() {
    }

    public static PipelineResult run(PipelineRequest req, Context ctx) {
        return EncoderPipeline.run(req, ctx.resolver(), ctx.settings(), ctx.progress(), ctx.models());
    }
}
