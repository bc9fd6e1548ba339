package io.jneuron.core.export;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.shape.DType;
import io.jneuron.core.shape.ShapeSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Re-exporting into a folder replaces an earlier export and nothing else: files the user added there are kept. */
class ExportFolderTest {
    @TempDir
    Path tmp;

    ExportedModel export(Path out) throws Exception {
        Path ckpt = Files.createDirectories(tmp.resolve("ckpt"));
        Files.writeString(ckpt.resolve("config.json"), "{}");
        Path artifact = Files.writeString(tmp.resolve("model.cpu"), "packed");
        ExportedModel m = new ExportedModel(out, "cpu", "0.1.0", ShapeSpec.of(1, 128, DType.FP32), "model.cpu", "local/ckpt",
                "r1", "text-generation", "0123456789abcdef0123");
        ExportFolder.assemble(ckpt, artifact, m);
        return m;
    }

    @Test
    void anEarlierExportIsReplaced() throws Exception {
        Path out = tmp.resolve("out");
        export(out);
        Files.writeString(out.resolve("tokenizer.json"), "{}"); // a side file an earlier export may have copied
        export(out);
        assertTrue(ExportedModel.isExported(out));
        assertFalse(Files.exists(out.resolve("tokenizer.json")), "the earlier export's files are replaced, not merged");
    }

    @Test
    void anEncoderExportWithItsPoolingSubfolderIsReplacedToo() throws Exception {
        Path out = tmp.resolve("out");
        export(out);
        Files.createDirectories(out.resolve("1_Pooling"));
        Files.writeString(out.resolve("1_Pooling/config.json"), "{}"); // sentence-transformers' side file
        export(out);
        assertTrue(ExportedModel.isExported(out));
        assertFalse(Files.exists(out.resolve("1_Pooling")));
    }

    @Test
    void aFolderWithTheUsersOwnFilesBesideAnExportIsRefusedAndKept() throws Exception {
        Path out = tmp.resolve("out");
        export(out);
        Files.writeString(out.resolve("notes.md"), "my notes");
        Files.createDirectories(out.resolve("results"));
        NeuronKernelException e = assertThrows(NeuronKernelException.class, () -> export(out));
        assertEquals("output folder " + out + " holds files no export wrote (notes.md, results); re-exporting replaces "
                + "the whole folder, so move them out or choose another output folder", e.getMessage());
        assertEquals("my notes", Files.readString(out.resolve("notes.md")));
        assertTrue(ExportedModel.isExported(out));
    }
}
