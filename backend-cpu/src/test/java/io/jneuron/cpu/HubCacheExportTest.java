package io.jneuron.cpu;

import io.jneuron.core.Settings;
import io.jneuron.core.cache.CacheSync;
import io.jneuron.core.export.ExportRequest;
import io.jneuron.core.export.ExportResult;
import io.jneuron.core.export.Exporter;
import io.jneuron.core.export.ModelOpener;
import io.jneuron.core.export.ShapeRequest;
import io.jneuron.core.generate.GenerationRequest;
import io.jneuron.core.generate.Generator;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubConfig;
import io.jneuron.core.hub.HubToken;
import io.jneuron.core.hub.LocalHub;
import io.jneuron.core.hub.RequestCounter;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.shape.DType;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two machines sharing a Hub cache repo: the first exports (compiling) and synchronizes; the second, with a fresh
 * local cache and Hub cache, downloads the module instead of compiling and generates the same tokens.
 */
class HubCacheExportTest {
    static final String CANARY = "hf_CANARYtoken4f1c9e2d7b3a";
    static final String REPO = "team/neuron-cache";

    @TempDir
    Path tmp;
    final Settings settings = new Settings("cpu", 2);

    ExportResult export(Path model, Path cache, Path out, HubClient hub, List<String> stages) {
        ShapeRequest shape = new ShapeRequest(1, 128, DType.FP32, null);
        return Exporter.export(new ExportRequest(model.toString(), out, "text-generation", shape, null, null, null,
                cache.toString()), settings, (s, f) -> stages.add(s), hub, hub == null ? null : REPO);
    }

    int[] generate(Path exported) {
        try (ModelOpener.Opened o = ModelOpener.open(exported.toString(), ShapeRequest.NONE, settings, (s, f) -> { })) {
            return new Generator(o.model(), o.tokenizer()).generate(GenerationRequest.builder(
                    o.tokenizer().encode("Once upon a time", true)).maxNewTokens(8).build()).rows().get(0).generatedIds();
        }
    }

    @Test
    void aSecondMachineGetsTheModuleFromTheHubAndGeneratesTheSameIds() throws Exception {
        Path model = tmp.resolve("tiny-llama");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA).withSeed(5), model);
        Files.createDirectories(tmp.resolve("hub").resolve(REPO));
        try (LocalHub hub = LocalHub.start(tmp.resolve("hub"), HubToken.of(CANARY))) {
            // Machine A: the repo is empty, so the export compiles; then it synchronizes.
            ExportResult first;
            try (HubClient a = HubClient.create(HubConfig.of(hub.url(), HubToken.of(CANARY), tmp.resolve("hf-a")))) {
                first = export(model, tmp.resolve("cache-a"), tmp.resolve("out-a"), a, new ArrayList<>());
                assertEquals(ExportResult.MISS, first.cache());
                CacheSync.Report sync = CacheSync.synchronize(tmp.resolve("cache-a"), a, REPO);
                assertTrue(sync.uploaded().contains("jneuron-cpu-" + first.exported().compilerVersion() + "/MODULE_"
                        + first.entry() + "/model.done"), sync.uploaded().toString());
            }
            // Machine B: nothing local; the module comes from the Hub and nothing is compiled.
            RequestCounter counter = new RequestCounter();
            try (HubClient b = HubClient.builder(HubConfig.of(hub.url(), HubToken.of(CANARY), tmp.resolve("hf-b")))
                    .addNetworkInterceptor(counter).build()) {
                List<String> stages = new ArrayList<>();
                ExportResult second = export(model, tmp.resolve("cache-b"), tmp.resolve("out-b"), b, stages);
                assertEquals(ExportResult.HIT_HUB, second.cache());
                assertEquals(first.entry(), second.entry());
                assertTrue(stages.contains("cache hit (hub)"), stages.toString());
                assertFalse(stages.stream().anyMatch(s -> s.startsWith("pack")), "nothing compiled: " + stages);
                assertTrue(Files.isRegularFile(second.module().resolve("model.done")));
                assertArrayEquals(Files.readAllBytes(first.module().resolve("model.cpu")),
                        Files.readAllBytes(second.module().resolve("model.cpu")));
                System.out.println("[hub-export] hit-hub in " + counter.count() + " requests: " + counter.requests());

                // Now local: the Hub is not asked again.
                int before = counter.count();
                ExportResult third = export(model, tmp.resolve("cache-b"), tmp.resolve("out-c"), b, new ArrayList<>());
                assertEquals(ExportResult.HIT_LOCAL, third.cache());
                assertEquals(before, counter.count());
            }
            assertArrayEquals(generate(first.exported().folder()), generate(tmp.resolve("out-b")));
        }
    }
}
