package io.jneuron.neuron.compiler;

import io.jneuron.core.files.AtomicFiles;
import io.jneuron.core.cache.CompileCache;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NeuronxccFlagsTest {

    @Test
    void defaultsAreTheOnesNxdAndTransformersNeuronxPass() {
        NeuronxccFlags f = NeuronxccFlags.of("trn1");
        assertEquals(List.of("--target=trn1", "--model-type=transformer", "--auto-cast=none", "--optlevel=2"), f.flags());
        assertNull(f.autoCastType(), "no --auto-cast-type while auto-cast is none, as optimum builds it");
        assertEquals(CompileCache.flagsHash(f.flags()), CompileCache.flagsHash(NeuronxccFlags.parse(f.toString()).flags()));
    }

    @Test
    void everyDocumentedOptionIsEmittedAndParseRoundTrips() {
        NeuronxccFlags f = NeuronxccFlags.of("trn2").withAutoCast("matmul", "fp8_e4m3").withOptlevel(3).withLnc(2)
                .withModelType("generic").withExtra(List.of("--enable-saturate-infinity"));
        assertEquals("--target=trn2 --model-type=generic --auto-cast=matmult --auto-cast-type=fp8_e4m3 --optlevel=3 "
                + "--lnc=2 --enable-saturate-infinity", f.toString());
        assertEquals(f, NeuronxccFlags.parse(f.toString()));
        assertEquals(f, NeuronxccFlags.parse("--target trn2 -O3 --model-type generic --auto-cast matmult "
                + "--auto-cast-type=bf16 --auto-cast-type fp8_e4m3 -lnc 2 --enable-saturate-infinity"));
    }

    @Test
    void badValuesAreRefusedWithTheOffendingValueAndTheChoices() {
        assertEquals("neuronx-cc option --target inf1 is not valid; use one of [inf2, trn1, trn1n, trn2] (the instance "
                        + "family you will run on)",
                assertThrows(CompileException.class, () -> NeuronxccFlags.of("inf1")).getMessage());
        assertEquals("neuronx-cc option --lnc 2 for target trn1 is not valid; use 1 or 2, and 2 only on trn2 (neuronx-cc "
                + "error EARG001)", assertThrows(CompileException.class,
                () -> NeuronxccFlags.of("trn1").withLnc(2)).getMessage());
        assertEquals("neuronx-cc option --optlevel 4 is not valid; use 1, 2 or 3 (2 is the compiler's default)",
                assertThrows(CompileException.class, () -> NeuronxccFlags.parse("--target inf2 -O4")).getMessage());
        assertThrows(CompileException.class, () -> NeuronxccFlags.parse("-O2"), "a target is required");
        assertThrows(CompileException.class, () -> NeuronxccFlags.of("trn1").withExtra(List.of("--a b")));
    }

    @Test
    void theVersionComesFromTheBannerLineWithItsHash() {
        String out = "NeuronX Compiler version 2.21.33363.0+82129205\n\nPython version 3.10.12\nHWM version "
                + "2.21.0.5-7b1976adf\nNumPy version 1.26.4\n";
        NeuronxccVersion v = NeuronxccVersion.fromVersionOutput(out, "neuronx-cc");
        assertEquals(new NeuronxccVersion(2, 21, 33363, 0, "82129205"), v);
        assertEquals("neuronxcc-2.21.33363.0+82129205", v.compilerId().folderName());
        assertEquals("2.10.0.34+6c8792c6f", NeuronxccVersion.parse("2.10.0.34+6c8792c6f").toString());
        assertEquals("2.21.33363.0", NeuronxccVersion.parse("2.21.33363.0").toString(), "package metadata has no hash");
        assertEquals("`/x/neuronx-cc --version` printed Python version 3.10.12, not 'NeuronX Compiler version …'; "
                        + "point neuron.kernel.neuronx_cc (NEURON_KERNEL_NEURONX_CC) at a real neuronx-cc",
                assertThrows(CompileException.class, () -> NeuronxccVersion.fromVersionOutput("Python version 3.10.12\n",
                        "/x/neuronx-cc")).getMessage());
        assertThrows(CompileException.class, () -> NeuronxccVersion.parse("2.21+abc"));
    }

    @Test
    void theGraphKeyIsTwentyHexOfTheHloBytesSha256() {
        // sha256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
        assertEquals("ba7816bf8f01cfea4141", NeuronxccDriver.graphKey("abc".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void aBadOverrideIsAnErrorNotAFallThroughAndPathIsSearchedOtherwise() throws Exception {
        Path bin = java.nio.file.Files.createTempDirectory("ncc-bin");
        try {
            Path ncc = StandInTools.install(bin, "neuronx-cc");
            assertEquals(ncc.toAbsolutePath(), NeuronxccDriver.find(Map.of(), Map.of("PATH", "/nonexistent:" + bin)).orElseThrow());
            assertEquals(ncc.toAbsolutePath(), NeuronxccDriver.find(Map.of("neuron.kernel.neuronx_cc", ncc.toString()),
                    Map.of("PATH", "")).orElseThrow());
            assertEquals(java.util.Optional.empty(), NeuronxccDriver.find(Map.of(), Map.of("PATH", "/nonexistent")));
            CompileException e = assertThrows(CompileException.class,
                    () -> NeuronxccDriver.find(Map.of(), Map.of("NEURON_KERNEL_NEURONX_CC", "/no/neuronx-cc", "PATH", bin.toString())));
            assertEquals("neuron.kernel.neuronx_cc / NEURON_KERNEL_NEURONX_CC is /no/neuronx-cc, which is not an "
                    + "executable file; point it at neuronx-cc or unset it to search PATH", e.getMessage());
        } finally {
            AtomicFiles.deleteTree(bin);
        }
    }
}
