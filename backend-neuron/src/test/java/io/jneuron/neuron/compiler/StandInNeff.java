package io.jneuron.neuron.compiler;

import io.jneuron.neuron.neff.NeffWriter;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The NEFF-writing half of the STAND-IN neuronx-cc ({@code src/test/resources/standin/neuronx-cc}): packs a NEFF
 * container with the project's {@link NeffWriter}, holding the input's SHA-256 and the target so tests can tell which
 * HLO produced it. Nothing is compiled; the runtime could not execute it.
 *
 * <p>Usage: {@code StandInNeff <hlo> <out.neff> <target>}.
 */
public final class StandInNeff {
    private StandInNeff() {
    }

    public static void main(String[] args) throws Exception {
        byte[] hlo = Files.readAllBytes(Path.of(args[0]));
        String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(hlo));
        Map<String, byte[]> members = new LinkedHashMap<>();
        members.put("neff.json", ("{\"producer\": \"jneuron stand-in neuronx-cc\", \"target\": \"" + args[2] + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        members.put("hlo.sha256", sha.getBytes(StandardCharsets.UTF_8));
        members.put("sg00/def.json", "{\"var\": {}}".getBytes(StandardCharsets.UTF_8));
        NeffWriter.write(Path.of(args[1]), "standin-" + sha.substring(0, 12), members, false);
        System.out.println("INFO: stand-in wrote " + args[1]);
    }
}
