package io.jneuron.neuron;

import io.jneuron.core.Settings;
import io.jneuron.core.backend.Availability;
import io.jneuron.core.backend.Backend;
import io.jneuron.core.backend.BackendProvider;
import io.jneuron.core.backend.BackendUnavailableException;
import io.jneuron.core.backend.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeuronBackendProviderTest {
    @TempDir
    Path dir;

    private final Settings settings = new Settings(null, 1);

    @Test
    void isRegisteredAndRankedFirst() {
        List<BackendProvider> all = Backends.providers();
        assertTrue(all.stream().anyMatch(p -> p.name().equals("neuron")), all.toString());
        assertEquals(0, new NeuronBackendProvider().rank());
    }

    @Test
    void isUnavailableWithoutDevicesEvenWithTheStandIn() {
        Availability a = new NeuronBackendProvider(() -> StandIn.config().withRoots(dir, dir)).probe(settings);
        assertFalse(a.available());
        assertEquals("no " + dir + "/neuron* devices", a.reason());
    }

    @Test
    void isAvailableWithTheStandInAndAFakeDeviceTree() throws IOException {
        Files.createFile(dir.resolve("neuron0"));
        Path cores = dir.resolve("sys/devices/virtual/neuron_device/neuron0/core_count");
        Files.createDirectories(cores.getParent());
        Files.writeString(cores, "2\n");
        Availability a = new NeuronBackendProvider(() -> StandIn.config().withRoots(dir, dir.resolve("sys"))).probe(settings);
        assertTrue(a.available(), a.reason());
        assertTrue(a.reason().endsWith("standin/libnrt.so.1, 1 device(s), 2 NeuronCores"), a.reason());
    }

    @Test
    void anOverrideNamingAnotherLibraryIsReportedNotIgnored() {
        StandIn.open().close();   // make sure the stand-in is the process's libnrt
        Availability a = new NeuronBackendProvider(() -> new NeuronConfig(Path.of("/nope/libnrt.so.1"), dir, dir, null))
                .probe(settings);
        assertFalse(a.available());
        assertTrue(a.reason().startsWith("another libnrt ("), a.reason());
    }

    @Test
    void theBackendSaysWhatIsMissing() {
        try (Backend b = new NeuronBackendProvider(() -> StandIn.config().withRoots(dir, dir)).create(settings)) {
            assertEquals("neuron", b.name());
            assertTrue(b.compiler().isEmpty());
            BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> Backends.compiler(b));
            assertTrue(e.getMessage().startsWith("the neuron backend cannot compile a Hugging Face checkpoint: turning "
                    + "safetensors into HLO needs torch-xla tracing"), e.getMessage());
            assertTrue(e.getMessage().contains("optimum-cli export neuron --model M"), e.getMessage());
            assertTrue(b.runtime().isEmpty(), "no device: no runtime");
            BackendUnavailableException run = assertThrows(BackendUnavailableException.class, () -> Backends.runtime(b));
            assertEquals("the neuron backend cannot run here: no " + dir + "/neuron* devices", run.getMessage());
        }
    }

    /** A fresh JVM with no libnrt anywhere: probe says why, and selection falls through. */
    @Test
    void withoutAnyLibnrtTheProbeSaysWhy() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "-Dneuron.kernel.dev_root=" + dir, ProbeMain.class.getName());
        pb.environment().remove("LD_LIBRARY_PATH");
        pb.environment().remove("NEURON_KERNEL_NRT_LIBRARY");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("false|no libnrt found (tried /opt/aws/neuron/lib/libnrt.so.1: "), out);
        assertTrue(out.contains("; libnrt.so.1: "), out);
        assertTrue(out.endsWith("; install aws-neuronx-runtime-lib or set NEURON_KERNEL_NRT_LIBRARY; no " + dir
                + "/neuron* devices"), out);
    }

    /** Run in the child JVM above. */
    public static final class ProbeMain {
        public static void main(String[] args) {
            Availability a = new NeuronBackendProvider().probe(new Settings(null, 1));
            System.out.println(a.available() + "|" + a.reason());
        }
    }
}
