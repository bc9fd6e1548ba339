package io.jneuron.core.testing;

import io.jneuron.core.files.AtomicFiles;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.NeuronKernelException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes JSON the way transformers lays it out (2-space indent, {@code "key": value}), atomically. */
final class JsonFiles {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter PRETTY;

    static {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        PRETTY = MAPPER.writer(printer);
    }

    private JsonFiles() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * Temp files and folders are created owner-only; checkpoints are meant to be shared, so give them the
     * usual rw-r--r-- / rwxr-xr-x where the file system has POSIX permissions.
     */
    static void shareable(Path path, boolean folder) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(folder ? "rwxr-xr-x" : "rw-r--r--"));
        }
    }

    /** Writes {@code node} with a trailing newline through a temporary sibling and an atomic move. */
    static void write(Path file, JsonNode node) {
        Path tmp = null;
        try {
            byte[] bytes = (PRETTY.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
            tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
            shareable(tmp, false);
            Files.write(tmp, bytes);
            AtomicFiles.move(tmp, file);
        } catch (IOException e) {
            throw new NeuronKernelException(file + ": cannot write: " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The original failure, if any, is the one worth reporting.
                }
            }
        }
    }
}
