package io.jneuron.cpu;

import io.jneuron.core.Settings;
import io.jneuron.core.backend.LoadedModel;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.export.ExportRequest;
import io.jneuron.core.export.ExportResult;
import io.jneuron.core.export.Exporter;
import io.jneuron.core.export.ModelKeeper;
import io.jneuron.core.export.ModelOpener;
import io.jneuron.core.export.ShapeRequest;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.EncoderHead;
import io.jneuron.core.model.ModelResolver;
import io.jneuron.core.pipeline.PipelineRequest;
import io.jneuron.core.pipeline.PipelineResult;
import io.jneuron.core.service.Context;
import io.jneuron.core.service.GenerateService;
import io.jneuron.core.service.Generation;
import io.jneuron.core.service.PipelineService;
import io.jneuron.core.shape.DType;
import io.jneuron.core.testing.TinyEncoders;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel's kept model: reused for the same artifact and settings, loaded again for anything else. */
class ModelKeeperTest {
    @TempDir
    Path tmp;
    Path exported;
    final Settings settings = new Settings("cpu", 2);
    final ModelResolver resolver = ModelResolver.fromEnvironment();

    @BeforeEach
    void export() {
        Path model = tmp.resolve("tiny-llama");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA).withSeed(5), model);
        ExportResult r = Exporter.export(new ExportRequest(model.toString(), tmp.resolve("out"), "text-generation",
                new ShapeRequest(1, 64, DType.FP32, null), null, null, null, tmp.resolve("cache").toString()),
                settings, ProgressListener.NONE);
        exported = r.exported().folder();
    }

    ModelOpener.Opened open(ModelKeeper keeper, Settings s) {
        return keeper.open(resolver, exported.toString(), ShapeRequest.NONE, s, ProgressListener.NONE, true);
    }

    /** Whether a model still serves sessions (a closed CPU model refuses them). */
    static boolean usable(LoadedModel m) {
        try {
            m.newSession().close();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    @Test
    void theSameModelIsLoadedOnceAndOutlivesItsCallers() {
        try (ModelKeeper keeper = new ModelKeeper()) {
            LoadedModel first;
            try (ModelOpener.Opened a = open(keeper, settings)) {
                first = a.model();
                assertTrue(a.kept());
                assertTrue(a.loadMs() > 0);
            }
            assertTrue(usable(first), "closing the caller's handle leaves the kept model open");
            try (ModelOpener.Opened b = open(keeper, settings)) {
                assertSame(first, b.model());
                assertTrue(b.kept());
            }
            assertEquals(1, keeper.loads());
            keeper.discard();
            assertFalse(keeper.holding());
            assertFalse(usable(first), "discard closes the model");
        }
    }

    @Test
    void otherSettingsOrARewrittenArtifactLoadAgainAndCloseTheOldModel() throws Exception {
        try (ModelKeeper keeper = new ModelKeeper()) {
            LoadedModel first = open(keeper, settings).model();
            LoadedModel oneThread = open(keeper, new Settings("cpu", 1)).model();
            assertNotSame(first, oneThread);
            assertFalse(usable(first));
            Path artifact = exported.resolve("model.cpu");
            Files.setLastModifiedTime(artifact, FileTime.fromMillis(Files.getLastModifiedTime(artifact).toMillis() + 5000));
            LoadedModel again = open(keeper, new Settings("cpu", 1)).model();
            assertNotSame(oneThread, again, "a rewritten artifact is loaded again");
            assertEquals(3, keeper.loads());
            assertFalse(usable(oneThread));
            assertTrue(usable(again));
        }
        // A MODEL that does not resolve loads nothing and leaves the kept model as it was.
        try (ModelKeeper keeper = new ModelKeeper()) {
            LoadedModel kept = open(keeper, settings).model();
            assertThrows(RuntimeException.class, () -> keeper.open(resolver, tmp.resolve("nothing-here").toString(),
                    ShapeRequest.NONE, settings, ProgressListener.NONE, true));
            assertTrue(keeper.holding());
            assertTrue(usable(kept));
            assertSame(kept, open(keeper, settings).model());
        }
    }

    @Test
    void generationsThroughAKeeperMatchOnesThatLoadTheirOwn() {
        GenerateService.Request req = GenerateService.Request.of(exported.toString(), "Once upon a time", 6);
        Context plain = Context.of(Map.of()).withSettings(settings);
        Generation own = GenerateService.generate(req, null, plain);
        try (ModelKeeper keeper = new ModelKeeper()) {
            Context kept = plain.withModels(keeper);
            Generation first = GenerateService.generate(req, null, kept);
            Generation second = GenerateService.generate(req, null, kept);
            assertEquals(1, keeper.loads(), "the second call loads nothing");
            for (Generation g : new Generation[] {first, second}) {
                assertArrayEquals(own.result().rows().get(0).generatedIds(), g.result().rows().get(0).generatedIds());
            }
            assertTrue(keeper.holding());
        }
    }

    @Test
    void aPipelineKeepsItsEncoderAndAnswersAsOneThatLoadsItsOwn() {
        Path bert = TinyEncoders.generate(Architecture.BERT, EncoderHead.SEQUENCE_CLASSIFICATION, 3, tmp.resolve("bert"));
        Path out = Exporter.export(new ExportRequest(bert.toString(), tmp.resolve("bert-cpu"), "text-classification",
                new ShapeRequest(2, 16, DType.FP32, null), null, null, null, tmp.resolve("cache").toString()),
                settings, ProgressListener.NONE).exported().folder();
        PipelineRequest req = PipelineRequest.of("text-classification", out.toString(), List.of("paris", "a city ."));
        Context plain = Context.of(Map.of()).withSettings(settings);
        PipelineResult own = PipelineService.run(req, plain);
        try (ModelKeeper keeper = new ModelKeeper()) {
            Context kept = plain.withModels(keeper);
            PipelineResult first = PipelineService.run(req, kept);
            PipelineResult second = PipelineService.run(req, kept);
            assertEquals(1, keeper.loads(), "the pipeline's encoder is kept");
            assertEquals(own.outputs(), first.outputs());
            assertEquals(own.outputs(), second.outputs());
        }
    }
}
