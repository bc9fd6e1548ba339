package io.jneuron.core.export;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.Settings;
import io.jneuron.core.backend.Backend;
import io.jneuron.core.backend.BackendProvider;
import io.jneuron.core.backend.Backends;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.model.Checkpoint;
import io.jneuron.core.shape.ShapeSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Exports a checkpoint folder with given shapes into {@link Settings#exportCache()} under a key of
 * (backend, compiler version, shapes, checkpoint path, config and weight files' sizes and times), so a
 * second {@code generate} on the same checkpoint loads the packed artifact directly. The export is
 * built in a temp folder and renamed into place whole.
 */
public final class OnTheFlyExport {
    /** Files copied next to the artifact so the export folder stands on its own. */
    static final List<String> SIDE_FILES = List.of("config.json", "generation_config.json", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json", "modules.json", "sentence_bert_config.json",
            "1_Pooling/config.json");

    private OnTheFlyExport() {
    }

    public static ExportedModel export(Checkpoint ckpt, String modelId, ShapeSpec shape, Settings settings,
                                       ProgressListener progress) {
        BackendProvider provider = Backends.select(settings);
        try (Backend backend = provider.create(settings)) {
            String version = backend.compiler().version();
            String key = key(ckpt, shape, backend.name(), version);
            Path target = settings.exportCache().resolve(backend.name() + "-" + version).resolve(key);
            if (ExportedModel.isExported(target)) {
                return ExportedModel.read(target);
            }
            return build(ckpt, modelId, shape, backend, version, target, progress);
        }
    }

    /** Writes an export folder: side files, the artifact, then neuron_config.json last. */
    public static ExportedModel writeFolder(Checkpoint ckpt, String modelId, ShapeSpec shape, Backend backend,
                                            Path folder, ProgressListener progress) throws IOException {
        Files.createDirectories(folder);
        for (String name : SIDE_FILES) {
            Path src = ckpt.directory().resolve(name);
            if (Files.isRegularFile(src)) {
                Files.createDirectories(folder.resolve(name).getParent());
                Files.copy(src, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        String artifact = "model." + backend.name();
        progress.progress("compile", 0);
        backend.compiler().compile(ckpt, shape, folder.resolve(artifact), progress);
        ExportedModel exported = new ExportedModel(folder, backend.name(), backend.compiler().version(), shape,
                artifact, modelId, null, defaultTask(ckpt), null);
        exported.write();
        return exported;
    }

    private static ExportedModel build(Checkpoint ckpt, String modelId, ShapeSpec shape, Backend backend,
                                       String version, Path target, ProgressListener progress) {
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp");
            writeFolder(ckpt, modelId, shape, backend, tmp, progress);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                tmp = null;
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // Another process finished the same export first; theirs is as good as ours.
                if (!ExportedModel.isExported(target)) {
                    throw e;
                }
            } catch (IOException e) {
                if (!ExportedModel.isExported(target)) { // a non-empty target dir reports DirectoryNotEmpty
                    throw e;
                }
            }
            return ExportedModel.read(target);
        } catch (IOException e) {
            throw new NeuronKernelException("cannot export " + modelId + " into " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
            }
        }
    }

    static String key(Checkpoint ckpt, ShapeSpec shape, String backend, String version) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            StringBuilder sb = new StringBuilder();
            sb.append(backend).append('\n').append(version).append('\n').append(shape).append('\n')
                    .append(ckpt.directory().toAbsolutePath().normalize()).append('\n');
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(ckpt.directory())) {
                ds.forEach(files::add);
            }
            files.sort(Comparator.naturalOrder());
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    sb.append(f.getFileName()).append(' ').append(Files.size(f)).append(' ')
                            .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
                }
            }
            md.update(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest()).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        } catch (IOException e) {
            throw new NeuronKernelException("cannot read " + ckpt.directory() + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort cleanup of our own temp folder
                }
            });
        } catch (IOException ignored) {
            // nothing left to clean
        }
    }

    /** What an on-the-fly export serves: generation for a decoder, its head's task (or embeddings) for an encoder. */
    static String defaultTask(Checkpoint ckpt) {
        if (!ckpt.config().architecture().isEncoder()) {
            return TaskShapes.TEXT_GENERATION;
        }
        io.jneuron.core.model.EncoderHead head = io.jneuron.core.model.EncoderConfig
                .read(ckpt.directory().resolve(Checkpoint.CONFIG)).head();
        return head == io.jneuron.core.model.EncoderHead.NONE ? io.jneuron.core.model.EncoderHead.FEATURE_EXTRACTION
                : switch (head) {
                    case SEQUENCE_CLASSIFICATION -> "text-classification";
                    case TOKEN_CLASSIFICATION -> "token-classification";
                    case MASKED_LM -> "fill-mask";
                    default -> "question-answering";
                };
    }
}
