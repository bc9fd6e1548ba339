package io.jneuron.cpu;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.Settings;
import io.jneuron.core.export.ExportRequest;
import io.jneuron.core.export.ExportResult;
import io.jneuron.core.export.ExportedModel;
import io.jneuron.core.export.Exporter;
import io.jneuron.core.export.ModelOpener;
import io.jneuron.core.export.ShapeRequest;
import io.jneuron.core.generate.GenerationRequest;
import io.jneuron.core.generate.Generator;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.ByteLevelBpeTokenizer;
import io.jneuron.core.shape.DType;
import io.jneuron.core.shape.ShapeException;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cache-first export pipeline on the CPU backend, end to end through generation. */
class ExportPipelineTest {
    @TempDir
    Path tmp;
    Path model;
    Path cache;
    final Settings settings = new Settings("cpu", 2);

    @BeforeEach
    void makeModel() {
        model = tmp.resolve("tiny-llama");
        cache = tmp.resolve("cache");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA).withSeed(21), model);
    }

    ExportResult export(Path output, DType dtype, Integer seq, List<String> stages) {
        ShapeRequest shape = new ShapeRequest(1, seq, dtype, null);
        return Exporter.export(new ExportRequest(model.toString(), output, "text-generation", shape, null, null, null,
                cache.toString()), settings, (stage, f) -> stages.add(stage));
    }

    @Test
    void theSecondExportIsACacheHitThatCompilesNothing() throws Exception {
        List<String> first = new ArrayList<>();
        ExportResult cold = export(tmp.resolve("out1"), DType.BF16, 256, first);
        assertEquals(ExportResult.MISS, cold.cache());
        assertTrue(first.contains("compile") && first.contains("compiled") && first.contains("store"), first.toString());
        assertTrue(Files.isRegularFile(cold.entryFile()));
        assertTrue(Files.isRegularFile(cold.module().resolve("model.done")));

        List<String> second = new ArrayList<>();
        ExportResult warm = export(tmp.resolve("out2"), DType.BF16, 256, second);
        assertEquals(ExportResult.HIT_LOCAL, warm.cache());
        assertEquals(cold.entry(), warm.entry());
        assertFalse(second.stream().anyMatch(s -> s.startsWith("pack")), "nothing is packed again: " + second);
        assertTrue(second.contains("cache hit (local)"), second.toString());
        assertEquals(Files.readAllBytes(cold.module().resolve("model.cpu")).length,
                Files.size(tmp.resolve("out2/model.cpu")));

        // A different shape is a different entry.
        ExportResult other = export(tmp.resolve("out3"), DType.FP32, 256, new ArrayList<>());
        assertEquals(ExportResult.MISS, other.cache());
        assertFalse(other.entry().equals(cold.entry()));
    }

    @Test
    void anExportedFolderGeneratesOnItsOwnLikeTheCheckpoint() {
        ExportResult r = export(tmp.resolve("out"), DType.FP32, 128, new ArrayList<>());
        ExportedModel e = ExportedModel.read(r.exported().folder());
        assertEquals("cpu", e.backend());
        assertEquals(r.entry(), e.entry());
        assertEquals("local/tiny-llama", e.checkpointId());
        int[] fromExport;
        try (ModelOpener.Opened o = ModelOpener.open(r.exported().folder().toString(), ShapeRequest.NONE, settings,
                (s, f) -> { })) {
            // A decoder's byte-level BPE runs in Java, not through DJL's native library.
            assertInstanceOf(ByteLevelBpeTokenizer.class, o.tokenizer());
            fromExport = new Generator(o.model(), o.tokenizer())
                    .generate(GenerationRequest.builder(o.tokenizer().encode("Once upon a time", true))
                            .maxNewTokens(8).build()).rows().get(0).generatedIds();
        }
        Settings onTheFly = new Settings("cpu", 2, cache.toString());
        try (ModelOpener.Opened o = ModelOpener.open(model.toString(), new ShapeRequest(1, 128, DType.FP32, null),
                onTheFly, (s, f) -> { })) {
            // One export path: generating from the checkpoint reuses the module the export compiled.
            assertEquals(ExportResult.HIT_LOCAL, o.compiled().cache());
            assertEquals(r.entry(), o.compiled().entry());
            assertEquals(r.module(), o.compiled().module());
            assertInstanceOf(ByteLevelBpeTokenizer.class, o.tokenizer());
            int[] fromCheckpoint = new Generator(o.model(), o.tokenizer())
                    .generate(GenerationRequest.builder(o.tokenizer().encode("Once upon a time", true))
                            .maxNewTokens(8).build()).rows().get(0).generatedIds();
            assertArrayEquals(fromCheckpoint, fromExport);
        }
    }

    /** bin/jneuron sets jneuron.compactBeforeLoad: opening a model then runs one full collection before its load. */
    @Test
    void theCommandLinesCompactionBeforeTheLoadIsAFullCollection() {
        ExportResult r = export(tmp.resolve("out"), DType.FP32, 128, new ArrayList<>());
        long before = fullCollections();
        System.setProperty("jneuron.compactBeforeLoad", "true");
        try (ModelOpener.Opened o = ModelOpener.open(r.exported().folder().toString(), ShapeRequest.NONE, settings,
                (s, f) -> { })) {
            assertTrue(fullCollections() > before, "no full collection while opening the model");
            assertTrue(o.tokenizer() != null && o.loadMs() > 0);
        } finally {
            System.clearProperty("jneuron.compactBeforeLoad");
        }
    }

    /** Full (old generation) collections so far: G1's, Parallel's or Serial's collector of the old generation. */
    private static long fullCollections() {
        long n = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            String name = gc.getName();
            if (name.contains("Old") || name.contains("MarkSweep")) {
                n += gc.getCollectionCount();
            }
        }
        return n;
    }

    /** Weights rewritten in place, same size and mtime: the on-the-fly compile is keyed by content, so no stale hit. */
    @Test
    void weightsChangedInPlaceAreCompiledAgainNotAStaleHit() throws Exception {
        Settings onTheFly = new Settings("cpu", 2, cache.toString());
        ShapeRequest shape = new ShapeRequest(1, 32, DType.FP32, null);
        String firstEntry;
        try (ModelOpener.Opened o = ModelOpener.open(model.toString(), shape, onTheFly, (s, f) -> { }, false)) {
            assertEquals(ExportResult.MISS, o.compiled().cache());
            firstEntry = o.compiled().entry();
        }
        Path weights = model.resolve("model.safetensors");
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(weights);
        long size = Files.size(weights);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(weights.toFile(), "rw")) {
            f.seek(size - 4); // the last float of the last tensor: same header, different value
            int bits = f.readInt();
            f.seek(size - 4);
            f.writeInt(bits ^ 0x00400000);
        }
        Files.setLastModifiedTime(weights, mtime);
        assertEquals(size, Files.size(weights));
        try (ModelOpener.Opened o = ModelOpener.open(model.toString(), shape, onTheFly, (s, f) -> { }, false)) {
            assertEquals(ExportResult.MISS, o.compiled().cache(), "changed weights are a new entry, compiled again");
            assertFalse(firstEntry.equals(o.compiled().entry()));
        }
    }

    @Test
    void plansThatCannotWorkAreRefusedBeforeAnyWork() {
        ShapeException task = assertThrows(ShapeException.class, () -> Exporter.export(new ExportRequest(
                model.toString(), tmp.resolve("o"), "text-classification", new ShapeRequest(1, null, null, null), null,
                null, null, cache.toString()), settings, (s, f) -> { }));
        assertEquals("task text-classification needs --sequence_length (mandatory static shapes: batch_size, "
                + "sequence_length)", task.getMessage());
        ShapeException memory = assertThrows(ShapeException.class, () -> Exporter.export(new ExportRequest(
                model.toString(), tmp.resolve("o"), "text-generation", new ShapeRequest(4096, 512, null, null), null,
                null, null, cache.toString()), settings, (s, f) -> { }));
        assertTrue(memory.getMessage().startsWith("the plan needs "), memory.getMessage());
        assertTrue(memory.getMessage().contains("lower --batch_size or --sequence_length"), memory.getMessage());
        NeuronKernelException cores = assertThrows(NeuronKernelException.class, () -> Exporter.export(new ExportRequest(
                model.toString(), tmp.resolve("o"), "text-generation", ShapeRequest.NONE, 2, null, null,
                cache.toString()), settings, (s, f) -> { }));
        assertTrue(cores.getMessage().startsWith("--num_cores 2 needs the neuron backend"), cores.getMessage());
        assertFalse(Files.exists(cache.resolve("jneuron-cpu-" + CpuBackendProvider.VERSION)), "no cache writes");
        assertFalse(Files.exists(tmp.resolve("o")), "no output");
    }

    @Test
    void anOutputFolderWithOtherContentIsNeverOverwritten() throws Exception {
        Path busy = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(busy.resolve("notes.txt"), "mine");
        NeuronKernelException e = assertThrows(NeuronKernelException.class,
                () -> export(busy, DType.FP32, 128, new ArrayList<>()));
        assertEquals("output folder " + busy + " exists and is not an exported model; choose another folder or remove it",
                e.getMessage());
        assertEquals("mine", Files.readString(busy.resolve("notes.txt")));
    }
}
