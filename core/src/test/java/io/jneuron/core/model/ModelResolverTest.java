package io.jneuron.core.model;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.hub.HubClient;
import io.jneuron.core.hub.HubConfig;
import io.jneuron.core.hub.LocalHub;
import io.jneuron.core.hub.RequestCounter;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One resolver for every verb: folders, the Hugging Face cache, the Hub (config only or whole), offline. */
class ModelResolverTest {
    @TempDir
    static Path tmp;
    static LocalHub hub;
    static Path served;

    @BeforeAll
    static void serve() {
        served = tmp.resolve("served");
        Path repo = served.resolve("acme/tiny-llama");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA).withShards(2), repo);
        try {
            Files.writeString(repo.resolve("README.md"), "not needed by jneuron");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        hub = LocalHub.start(served, null);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    record Counted(ModelResolver resolver, RequestCounter counter) {
    }

    static Counted resolver(Path hfHome, boolean offline) {
        RequestCounter counter = new RequestCounter();
        HubConfig config = HubConfig.of(hub.url(), null, hfHome).withOffline(offline);
        return new Counted(new ModelResolver(config, c -> HubClient.builder(c).addNetworkInterceptor(counter).build()),
                counter);
    }

    @Test
    void aPlainFolderIsFiledUnderLocalAndItsNameWithAContentRevisionOnlyWhenRun() {
        Counted c = resolver(tmp.resolve("hf-folder"), false);
        Path folder = served.resolve("acme/tiny-llama");
        ModelSource config = c.resolver().resolve(folder.toString(), ModelResolver.Need.CONFIG);
        assertEquals("local/tiny-llama", config.modelId());
        assertEquals(folder.toAbsolutePath().normalize(), config.folder());
        assertEquals(ModelSource.Origin.FOLDER, config.origin());
        assertEquals("llama", config.config().get("model_type"));
        assertNull(config.revision(), "a lookup does not read the weights");
        ModelSource run = c.resolver().resolve(folder.toString(), ModelResolver.Need.RUN);
        assertEquals(CheckpointFingerprint.of(folder), run.revision());
        assertEquals(40, run.revision().length());
        assertEquals(0, c.counter().count());
    }

    @Test
    void aHubIdFetchesJustTheConfigForALookupThenAnswersFromTheCache() {
        Counted c = resolver(tmp.resolve("hf-config"), false);
        ModelSource s = c.resolver().resolve("acme/tiny-llama", ModelResolver.Need.CONFIG);
        assertEquals(ModelSource.Origin.HUB_DOWNLOAD, s.origin());
        assertEquals("acme/tiny-llama", s.modelId());
        assertTrue(s.folder().toString().contains("models--acme--tiny-llama/snapshots/" + s.revision()), s.folder().toString());
        assertEquals(List.of("HEAD /acme/tiny-llama/resolve/main/config.json", "GET /acme/tiny-llama/resolve/main/config.json"),
                c.counter().requests());
        try (Stream<Path> files = Files.list(s.folder())) {
            assertEquals(List.of("config.json"), files.map(p -> p.getFileName().toString()).toList());
        }  catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ModelSource again = c.resolver().resolve("acme/tiny-llama", ModelResolver.Need.CONFIG);
        assertEquals(ModelSource.Origin.HUB_CACHE, again.origin());
        assertEquals(2, c.counter().count(), "the second lookup reads the cache");
        // The snapshot folder itself, given as a path, keeps its Hub id and commit.
        ModelSource asFolder = c.resolver().resolve(s.folder().toString(), ModelResolver.Need.CONFIG);
        assertEquals("acme/tiny-llama", asFolder.modelId());
        assertEquals(s.revision(), asFolder.revision());
    }

    @Test
    void aHubIdToRunDownloadsOnlyWhatJneuronReadsAndOpens() throws Exception {
        Counted c = resolver(tmp.resolve("hf-run"), false);
        c.resolver().resolve("acme/tiny-llama", ModelResolver.Need.CONFIG); // a lookup first: config only
        ModelSource s = c.resolver().resolve("acme/tiny-llama", ModelResolver.Need.RUN);
        assertEquals(ModelSource.Origin.HUB_DOWNLOAD, s.origin(), "the config alone is not enough to run");
        assertFalse(Files.exists(s.folder().resolve("README.md")), "only what jneuron reads is fetched");
        try (Stream<Path> files = Files.list(s.folder())) {
            assertEquals(7, files.count(), "config, generation config, tokenizer x2, index, 2 shards");
        }
        Checkpoint local = Checkpoint.open(served.resolve("acme/tiny-llama"));
        Checkpoint fetched = Checkpoint.open(s.folder());
        assertEquals(local.config(), fetched.config());
        for (String name : local.tensorNames()) {
            assertArrayEquals(local.readFloats(name, local.tensor(name).shape()),
                    fetched.readFloats(name, fetched.tensor(name).shape()), name);
        }
        int before = c.counter().count();
        assertEquals(ModelSource.Origin.HUB_CACHE, c.resolver().resolve("acme/tiny-llama", ModelResolver.Need.RUN).origin());
        assertEquals(before, c.counter().count());
    }

    @Test
    void aDeeplyNestedDownloadedConfigIsAFormatErrorNamingTheDownloadedFile() throws Exception {
        Path repo = Files.createDirectories(served.resolve("acme/deep"));
        Files.writeString(repo.resolve("config.json"), "{\"a\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}");
        Counted c = resolver(tmp.resolve("hf-deep"), false);
        RuntimeException e = assertThrows(RuntimeException.class, () -> c.resolver().resolve("acme/deep",
                ModelResolver.Need.CONFIG));
        assertTrue(e instanceof io.jneuron.core.NeuronKernelException, "a user error, not a crash: " + e);
        assertTrue(e.getMessage().matches(".*models--acme--deep/snapshots/[0-9a-f]{40}/config\\.json: .*nest.*"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void offlineMakesNoConnectionAndSaysWhatIsMissing() {
        Counted fetch = resolver(tmp.resolve("hf-offline"), false);
        fetch.resolver().resolve("acme/tiny-llama", ModelResolver.Need.CONFIG);
        Counted c = resolver(tmp.resolve("hf-offline"), true);
        assertEquals(ModelSource.Origin.HUB_CACHE, c.resolver().resolve("acme/tiny-llama", ModelResolver.Need.CONFIG).origin());
        NeuronKernelException e = assertThrows(NeuronKernelException.class,
                () -> c.resolver().resolve("acme/tiny-llama", ModelResolver.Need.RUN));
        assertTrue(e.getMessage().startsWith("HF_HUB_OFFLINE is set and acme/tiny-llama is not complete in the Hugging "
                + "Face cache "), e.getMessage());
        assertTrue(e.getMessage().contains("(missing model.safetensors or model.safetensors.index.json); unset "
                + "HF_HUB_OFFLINE to download it, or give a local folder"), e.getMessage());
        NeuronKernelException none = assertThrows(NeuronKernelException.class,
                () -> c.resolver().resolve("acme/other", ModelResolver.Need.CONFIG));
        assertTrue(none.getMessage().contains("(missing config.json)"), none.getMessage());
        assertEquals(0, c.counter().count());
    }

    @Test
    void aMistypedPathIsAboutThePathNotAboutDownloads() {
        Counted c = resolver(tmp.resolve("hf-typo"), false);
        NeuronKernelException e = assertThrows(NeuronKernelException.class,
                () -> c.resolver().resolve("./tiny-lama", ModelResolver.Need.RUN));
        assertEquals("model './tiny-lama' is not a folder (no such directory); check the path", e.getMessage());
        NeuronKernelException bare = assertThrows(NeuronKernelException.class,
                () -> c.resolver().resolve("tiny-lama", ModelResolver.Need.RUN));
        assertTrue(bare.getMessage().startsWith("model 'tiny-lama' is neither a folder nor a model in the local Hugging "
                + "Face cache"), bare.getMessage());
        assertFalse(e.getMessage().contains("download") || bare.getMessage().contains("download"));
        assertEquals(0, c.counter().count());
    }

    @Test
    void weightsChangedInPlaceWithTheSameSizeAndMtimeChangeTheRevision() throws Exception {
        Path folder = tmp.resolve("in-place");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA).withSeed(3), folder);
        Path weights = folder.resolve(Checkpoint.WEIGHTS);
        String before = CheckpointFingerprint.of(folder);
        assertEquals(before, CheckpointFingerprint.of(folder), "deterministic");
        FileTime mtime = Files.getLastModifiedTime(weights);
        long size = Files.size(weights);
        try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
            long at = size - 3; // deep in the tensor data, far from the header
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x40);
        }
        Files.setLastModifiedTime(weights, mtime);
        assertEquals(size, Files.size(weights));
        assertEquals(mtime, Files.getLastModifiedTime(weights));
        assertNotEquals(before, CheckpointFingerprint.of(folder));
    }

    @Test
    void aLaterProcessReusesASettledFilesDigestFromTheMemoUntilTheFileIsRewrittenInPlace() throws Exception {
        Path folder = tmp.resolve("memo-model");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA).withSeed(4), folder);
        Path memo = tmp.resolve("memo");
        String fresh = CheckpointFingerprint.of(folder, memo);
        Thread.sleep(CheckpointFingerprint.SETTLED_NANOS / 1_000_000 + 200);
        CheckpointFingerprint.forgetInProcess();
        assertEquals(fresh, CheckpointFingerprint.of(folder, memo));
        List<Path> memos;
        try (Stream<Path> s = Files.list(memo)) {
            memos = s.toList();
        }
        assertFalse(memos.isEmpty(), "settled files are remembered");
        // A later process trusts the memo: a planted digest shows it is read instead of the weights.
        for (Path m : memos) {
            String[] lines = Files.readString(m).split("\n");
            Files.writeString(m, lines[0] + "\n" + "0".repeat(64) + "\n");
        }
        CheckpointFingerprint.forgetInProcess();
        String planted = CheckpointFingerprint.of(folder, memo);
        assertNotEquals(fresh, planted);
        // Rewritten in place with the same size and mtime: ctime moved, so the memo no longer counts.
        Path weights = folder.resolve(Checkpoint.WEIGHTS);
        FileTime mtime = Files.getLastModifiedTime(weights);
        try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
            f.seek(f.length() - 3);
            int b = f.read();
            f.seek(f.length() - 3);
            f.write(b ^ 0x40);
        }
        Files.setLastModifiedTime(weights, mtime);
        CheckpointFingerprint.forgetInProcess();
        String changed = CheckpointFingerprint.of(folder, memo);
        assertNotEquals(fresh, changed);
        assertNotEquals(planted, changed);
    }
}
