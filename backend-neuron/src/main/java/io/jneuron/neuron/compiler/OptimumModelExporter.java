package io.jneuron.neuron.compiler;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.backend.ModelExporter;
import io.jneuron.core.backend.ProgressListener;
import io.jneuron.core.cache.CacheRoot;
import io.jneuron.core.shape.DType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code export --backend neuron} through {@code optimum-cli export neuron}: jneuron's options map onto
 * optimum's ({@code --auto_cast} as given; a bf16/fp16 {@code --auto_cast_type} alone means matmul), optimum writes
 * the folder, and the result is filed in the registry as optimum would.
 */
public final class OptimumModelExporter implements ModelExporter {
    private final OptimumCliExporter cli;

    public OptimumModelExporter(OptimumCliExporter cli) {
        this.cli = cli;
    }

    @Override
    public Result export(Request r, ProgressListener progress) {
        if (r.instanceType() == null) {
            throw new NeuronKernelException("exporting for Neuron without a Neuron device needs --instance_type "
                    + "(trn1, inf2, trn1n or trn2): optimum-cli compiles for that target");
        }
        if (r.shape().dtype() == DType.INT8) {
            throw new NeuronKernelException("--quantization int8 is implemented by the CPU backend only; drop it "
                    + "for --backend neuron");
        }
        boolean cast = r.autoCast() != null;
        OptimumExportRequest req = new OptimumExportRequest(r.model(), r.task(), r.shape().batchSize(),
                r.shape().sequenceLength(), r.instanceType(), r.autoCast(), cast ? r.shape().dtype().cliName() : null,
                r.cores() > 1 ? r.cores() : null,
                r.optlevel() == null ? null : Integer.parseInt(r.optlevel()), r.output());
        OptimumExport done = cli.export(req, CacheRoot.resolve(r.cacheDir(), System.getenv()), progress);
        return new Result(done.output(), done.compiler().version(), done.written() == null ? null : done.entry().hash(),
                done.written() == null ? null : done.written().canonical(), files(done.output()));
    }

    private static List<String> files(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new NeuronKernelException("cannot list the optimum-cli output " + folder + ": " + e.getMessage(), e);
        }
    }
}
