package io.jneuron.neuron.neff;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NeffFileTest {
    @TempDir
    Path dir;

    static Map<String, byte[]> members() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("neff.json", "{\"version\": 2}".getBytes(StandardCharsets.UTF_8));
        m.put("sg00/def.json", "{\"var\": {}}".getBytes(StandardCharsets.UTF_8));
        m.put("sg00/pe.bin", new byte[1500]);
        return m;
    }

    @Test
    void readsTheHeaderAndListsAGzipPayload() throws IOException {
        Path f = dir.resolve("m.neff");
        NeffHeader written = NeffWriter.write(f, "tiny-llama-cte", members(), true);
        NeffFile.Info info = NeffFile.inspect(f);
        assertEquals(written, info.header());
        assertEquals(2, info.header().pkgVersion());
        assertEquals(1024, info.header().headerSize());
        assertEquals(Files.size(f) - 1024, info.header().dataSize());
        assertEquals("tiny-llama-cte", info.header().name());
        assertEquals("gzip", info.compression());
        assertEquals(List.of(new NeffFile.Entry("neff.json", 14, '0'), new NeffFile.Entry("sg00/def.json", 11, '0'),
                new NeffFile.Entry("sg00/pe.bin", 1500, '0')), info.entries());
        assertArrayEquals(members().get("sg00/def.json"), NeffFile.readMember(f, "sg00/def.json"));
        assertNull(NeffFile.readMember(f, "nope.json"));
    }

    @Test
    void listsAPlainTarPayload() throws IOException {
        Path f = dir.resolve("m.neff");
        NeffWriter.write(f, "fast", members(), false);
        NeffFile.Info info = NeffFile.inspect(f);
        assertEquals("tar", info.compression());
        assertEquals(1, info.header().pkgVersion());
        assertEquals(3, info.entries().size());
        assertArrayEquals(new byte[1500], NeffFile.readMember(f, "./sg00/pe.bin"));
    }

    @Test
    void headerBytesRoundTrip() throws IOException {
        Path f = dir.resolve("m.neff");
        NeffHeader h = NeffWriter.write(f, "x", members(), true);
        assertEquals(h, NeffHeader.parse(h.toBytes(), Files.size(f), "x"));
        assertEquals(64, h.hash().length());
        assertEquals(32, h.uuid().length());
    }

    @Test
    void refusesFilesThatAreNotNeffs() throws IOException {
        Path text = Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\"}");
        assertEquals(text + " is not a NEFF: 23 bytes, shorter than the 1024-byte header",
                assertThrows(NeffFormatException.class, () -> NeffFile.inspect(text)).getMessage());

        byte[] junk = new byte[4096];
        Arrays.fill(junk, (byte) 'x');
        Path big = Files.write(dir.resolve("weights.bin"), junk);
        assertEquals(big + " is not a NEFF: header_size is 8680820740569200760, expected 1024",
                assertThrows(NeffFormatException.class, () -> NeffFile.inspect(big)).getMessage());
    }

    @Test
    void refusesATruncatedNeff() throws IOException {
        Path f = dir.resolve("m.neff");
        NeffWriter.write(f, "x", members(), true);
        byte[] all = Files.readAllBytes(f);
        Path cut = Files.write(dir.resolve("cut.neff"), Arrays.copyOf(all, all.length - 10));
        assertEquals(cut + " is not a NEFF or is truncated: header 1024 + data_size " + (all.length - 1024)
                + " != file length " + (all.length - 10),
                assertThrows(NeffFormatException.class, () -> NeffFile.inspect(cut)).getMessage());
    }

    @Test
    void refusesAPayloadThatIsNotATar() throws IOException {
        Path f = dir.resolve("m.neff");
        NeffHeader h = NeffWriter.write(f, "x", Map.of("a", new byte[10]), false);
        byte[] all = Files.readAllBytes(f);
        Arrays.fill(all, 1024, all.length, (byte) 'z');
        Files.write(f, all);
        assertEquals(f + ": the NEFF payload is not a tar archive (bad size field 'zzzzzzzzzzzz')",
                assertThrows(NeffFormatException.class, () -> NeffFile.inspect(f)).getMessage());
        assertEquals(1, h.pkgVersion());
    }
}
