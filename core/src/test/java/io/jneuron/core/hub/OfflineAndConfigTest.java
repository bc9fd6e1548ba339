package io.jneuron.core.hub;

import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HF_HUB_OFFLINE answers from the local cache with no connection at all; the environment is read as huggingface_hub reads it. */
class OfflineAndConfigTest {
    @TempDir
    Path tmp;

    @Test
    void offlineModeAnswersFromTheCacheAndMakesNoConnection() throws IOException {
        Files.createDirectories(tmp.resolve("served"));
        byte[] neff = new byte[2048];
        neff[7] = 42;
        try (LocalHub hub = LocalHub.start(tmp.resolve("served"), "127.0.0.1", 0, null, 1024, 1000);
             HubClient online = HubClient.create(HubConfig.of(hub.url(), null, tmp.resolve("hf")))) {
            online.createRepo("team/cache", false);
            online.commit("team/cache", List.of(CommitOperation.add("neuronxcc-2/MODULE_1/model.neff", Files.write(tmp.resolve("n"), neff)),
                    CommitOperation.add("neuronxcc-2/MODULE_2/model.done", Files.write(tmp.resolve("d"), new byte[0]))), "c", null);
            online.download("team/cache", "neuronxcc-2/MODULE_1/model.neff");
        }
        try (MockWebServer trap = new MockWebServer()) {
            trap.start(0);
            RequestCounter counter = new RequestCounter();
            HubConfig config = HubConfig.fromEnvironment(Map.of("HF_HOME", tmp.resolve("hf").toString(),
                    "HF_ENDPOINT", trap.url("/").toString(), "HF_HUB_OFFLINE", "1", "HF_TOKEN", TokenCanary.VALUE));
            try (HubClient offline = HubClient.builder(config).addNetworkInterceptor(counter).build()) {
                assertArrayEquals(neff, Files.readAllBytes(offline.download("team/cache", "neuronxcc-2/MODULE_1/model.neff")));
                assertTrue(offline.exists("team/cache", "neuronxcc-2/MODULE_1/model.neff"));
                assertFalse(offline.exists("team/cache", "neuronxcc-2/MODULE_2/model.done"), "never downloaded, so unknown offline");
                assertEquals(List.of("neuronxcc-2", "neuronxcc-2/MODULE_1", "neuronxcc-2/MODULE_1/model.neff"),
                        offline.listTree("team/cache", "", true).stream().map(TreeEntry::path).toList());
                assertEquals(List.of("neuronxcc-2/MODULE_1/model.neff"), offline.repoInfo("team/cache", null).files());
                HubException miss = assertThrows(HubException.class, () -> offline.download("team/cache", "neuronxcc-2/MODULE_2/model.done"));
                assertEquals(HubException.Kind.OFFLINE, miss.kind());
                assertTrue(miss.getMessage().contains("HF_HUB_OFFLINE is set"), miss.getMessage());
                assertEquals(HubException.Kind.OFFLINE, assertThrows(HubException.class,
                        () -> offline.commit("team/cache", List.of(CommitOperation.delete("x")), "m", null)).kind());
                assertEquals(HubException.Kind.OFFLINE, assertThrows(HubException.class,
                        () -> offline.createRepo("team/other", true)).kind());
                TokenCanary.assertAbsent(miss.getMessage() + offline + config);
            }
            assertEquals(0, counter.count());
            assertEquals(0, trap.getRequestCount());
        }
    }

    @Test
    void environmentIsReadLikeHuggingfaceHubAndOptimumNeuron() throws IOException {
        Path home = Files.createDirectories(tmp.resolve("home"));
        HubConfig bare = HubConfig.fromEnvironment(Map.of("HF_HOME", home.toString()));
        assertEquals("https://huggingface.co", bare.endpoint());
        assertEquals(Optional.empty(), bare.token());
        assertEquals(home.resolve("hub"), bare.hubCache());
        assertFalse(bare.offline());
        assertEquals(Optional.of("aws-neuron/optimum-neuron-cache"), bare.cacheRepo());

        Files.writeString(home.resolve("token"), TokenCanary.VALUE + "\n");
        Files.writeString(home.resolve("optimum_neuron_custom_cache"), "team/neuron-cache");
        HubConfig fromFiles = HubConfig.fromEnvironment(Map.of("HF_HOME", home.toString(), "HF_ENDPOINT", "http://127.0.0.1:9/",
                "HF_HUB_OFFLINE", "true"));
        assertEquals(TokenCanary.VALUE, fromFiles.token().orElseThrow().reveal());
        assertEquals("http://127.0.0.1:9", fromFiles.endpoint());
        assertTrue(fromFiles.offline());
        assertEquals(Optional.of("team/neuron-cache"), fromFiles.cacheRepo());
        TokenCanary.assertAbsent(fromFiles.toString());

        HubConfig env = HubConfig.fromEnvironment(Map.of("HF_HOME", home.toString(), "HF_TOKEN", "hf_from_env",
                "CUSTOM_CACHE_REPO", "org/override", "HF_HUB_CACHE", tmp.resolve("elsewhere").toString()));
        assertEquals("hf_from_env", env.token().orElseThrow().reveal());
        assertEquals(Optional.of("org/override"), env.cacheRepo());
        assertEquals(tmp.resolve("elsewhere"), env.hubCache());
        assertEquals(Optional.empty(), HubConfig.fromEnvironment(Map.of("XDG_CACHE_HOME", tmp.resolve("x").toString(),
                "HUGGINGFACE_CO_STAGING", "1")).cacheRepo());
        assertEquals(tmp.resolve("x/huggingface"), HubConfig.fromEnvironment(Map.of("XDG_CACHE_HOME", tmp.resolve("x").toString())).hfHome());

        HubException bad = assertThrows(HubException.class, () -> HubConfig.fromEnvironment(Map.of("HF_ENDPOINT", "ftp://x")));
        assertTrue(bad.getMessage().startsWith("HF_ENDPOINT 'ftp://x' is not an http(s) URL"), bad.getMessage());
    }
}
