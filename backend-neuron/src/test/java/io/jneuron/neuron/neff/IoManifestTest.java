package io.jneuron.neuron.neff;

import io.jneuron.neuron.Dtype;
import io.jneuron.neuron.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IoManifestTest {
    @TempDir
    Path dir;

    static final List<TensorInfo> INFO = List.of(
            new TensorInfo("input_ids", TensorInfo.Usage.INPUT, 512, 8, Dtype.INT32, List.of(1L, 128L)),
            new TensorInfo("logits", TensorInfo.Usage.OUTPUT, 4096, 3, Dtype.BFLOAT16, List.of(1L, 2048L)));

    @Test
    void writesReadsAndMatches() throws IOException {
        Path neff = dir.resolve("model.neff");
        IoManifest.of(INFO).writeBeside(neff);
        assertTrue(Files.exists(dir.resolve("model.neff.io.json")));
        IoManifest back = IoManifest.readBeside(neff).orElseThrow();
        assertEquals(IoManifest.of(INFO), back);
        back.check(INFO, neff.toString());
        assertTrue(IoManifest.readBeside(dir.resolve("other.neff")).isEmpty());
    }

    @Test
    void reportsEveryDifference() {
        List<TensorInfo> runtime = List.of(
                new TensorInfo("input_ids", TensorInfo.Usage.INPUT, 1024, 8, Dtype.INT32, List.of(1L, 256L)),
                new TensorInfo("logits", TensorInfo.Usage.OUTPUT, 4096, 7, Dtype.FLOAT16, List.of(1L, 2048L)));
        IoManifest.MismatchException e = assertThrows(IoManifest.MismatchException.class,
                () -> IoManifest.of(INFO).check(runtime, "m.neff"));
        assertEquals("m.neff does not match its I/O manifest m.neff.io.json: 'input_ids' is [1, 256] (1024 bytes), the "
                + "manifest says [1, 128] (512 bytes); 'logits' is FLOAT16, the manifest says BFLOAT16. Re-export the "
                + "model, or delete the manifest if the NEFF is right", e.getMessage());
    }

    @Test
    void refusesSomethingElse() throws IOException {
        Path neff = dir.resolve("m.neff");
        Files.writeString(IoManifest.sidecarOf(neff), "{\"format\": \"other\"}");
        assertEquals(IoManifest.sidecarOf(neff) + " is not a jneuron I/O manifest (format is not jneuron-neff-io/1)",
                assertThrows(RuntimeException.class, () -> IoManifest.readBeside(neff)).getMessage());
    }
}
