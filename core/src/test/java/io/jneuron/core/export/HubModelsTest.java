package io.jneuron.core.export;

import io.jneuron.core.hub.HubConfig;
import io.jneuron.core.hub.LocalHub;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Hub id is downloaded (only the files jneuron reads) into the standard cache and opens as a checkpoint. */
class HubModelsTest {
    @TempDir
    Path tmp;

    @Test
    void aShardedHubModelLandsInTheHubCacheAndOpens() throws Exception {
        Path served = tmp.resolve("served");
        Path repo = served.resolve("acme/tiny-llama");
        TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA).withShards(2), repo);
        Files.writeString(repo.resolve("README.md"), "not needed by jneuron");
        try (LocalHub hub = LocalHub.start(served, null)) {
            HubConfig config = HubConfig.of(hub.url(), null, tmp.resolve("hf-home"));
            Path snapshot = HubModels.download("acme/tiny-llama", config);
            assertTrue(snapshot.startsWith(tmp.resolve("hf-home")), snapshot.toString());
            assertTrue(snapshot.toString().contains("models--acme--tiny-llama/snapshots/"), snapshot.toString());
            assertFalse(Files.exists(snapshot.resolve("README.md")), "only what jneuron reads is fetched");
            Checkpoint local = Checkpoint.open(repo);
            Checkpoint fetched = Checkpoint.open(snapshot);
            assertEquals(local.config(), fetched.config());
            assertEquals(local.tensorNames(), fetched.tensorNames());
            for (String name : local.tensorNames()) {
                assertArrayEquals(local.readFloats(name, local.tensor(name).shape()),
                        fetched.readFloats(name, fetched.tensor(name).shape()), name);
            }
            try (Stream<Path> files = Files.list(snapshot)) {
                assertEquals(7, files.count(), "config, generation config, tokenizer x2, index, 2 shards");
            }
        }
    }
}
