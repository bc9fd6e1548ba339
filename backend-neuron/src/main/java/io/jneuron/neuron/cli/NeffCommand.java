package io.jneuron.neuron.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.neuron.neff.IoManifest;
import io.jneuron.neuron.neff.NeffFile;
import io.jneuron.neuron.neff.NeffHeader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code jneuron neff info FILE [--format text|json]}: a NEFF's header and payload listing, read
 * without the runtime. Output goes to the command line's writers, so a magic can reuse it.
 */
@Command(name = "neff", description = "Inspect NEFF files (compiled Neuron models) without the runtime.",
        subcommands = {NeffCommand.Info.class, CommandLine.HelpCommand.class})
public final class NeffCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public NeffCommand() {
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Specify a subcommand");
    }

    /** {@code neff info}. */
    @Command(name = "info", description = "Show a NEFF's header, payload members and I/O manifest.")
    public static final class Info implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The .neff file.")
        Path file;

        @Option(names = "--format", defaultValue = "text", description = "Output: text or json (one document on stdout).")
        String format;

        public Info() {
        }

        @Override
        public Integer call() throws IOException {
            String f = format.toLowerCase(Locale.ROOT);
            if (!f.equals("text") && !f.equals("json")) {
                throw new NeuronKernelException("--format '" + format + "' is not text or json");
            }
            if (!Files.isRegularFile(file)) {
                throw new NeuronKernelException(file + " is not a file; give the path of a .neff");
            }
            NeffFile.Info info = NeffFile.inspect(file);
            Optional<IoManifest> io = IoManifest.readBeside(file);
            PrintWriter out = spec.commandLine().getOut();
            if (f.equals("json")) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json(info, io)));
            } else {
                text(out, info, io);
            }
            out.flush();
            return 0;
        }

        private static ObjectNode json(NeffFile.Info info, Optional<IoManifest> io) {
            ObjectNode root = JSON.createObjectNode();
            root.put("file", info.file().toString());
            NeffHeader h = info.header();
            ObjectNode hn = root.putObject("header");
            hn.put("pkg_version", h.pkgVersion()).put("header_size", h.headerSize()).put("data_size", h.dataSize())
                    .put("neff_version", h.neffVersionMajor() + "." + h.neffVersionMinor())
                    .put("build_version", h.buildVersion()).put("name", h.name()).put("num_tpb", h.numTpb())
                    .put("requested_tpb_count", h.requestedTpbCount()).put("lnc_size", h.lncSize())
                    .put("feature_bits", h.featureBits()).put("hash", h.hash()).put("uuid", h.uuid());
            root.put("compression", info.compression());
            ArrayNode entries = root.putArray("entries");
            for (NeffFile.Entry e : info.entries()) {
                entries.addObject().put("name", e.name()).put("size", e.size()).put("type", String.valueOf(e.type()));
            }
            if (io.isPresent()) {
                ArrayNode tensors = root.putArray("io");
                for (IoManifest.Tensor t : io.get().tensors()) {
                    ObjectNode n = tensors.addObject().put("name", t.name()).put("usage", t.usage()).put("dtype", t.dtype())
                            .put("size", t.size());
                    t.shape().forEach(n.putArray("shape")::add);
                }
            }
            return root;
        }

        private static void text(PrintWriter out, NeffFile.Info info, Optional<IoManifest> io) {
            NeffHeader h = info.header();
            out.printf("file           %s%n", info.file());
            out.printf("name           %s%n", h.name());
            out.printf("neff version   %d.%d (packager v%d, %s payload of %d bytes)%n", h.neffVersionMajor(),
                    h.neffVersionMinor(), h.pkgVersion(), info.compression().equals("gzip") ? "gzip'd tar" : "plain tar",
                    h.dataSize());
            out.printf("build version  %s%n", h.buildVersion());
            out.printf("cores (tpb)    %d, requested %d, lnc %d%n", h.numTpb(), h.requestedTpbCount(), h.lncSize());
            out.printf("feature bits   0x%x%n", h.featureBits());
            out.printf("hash           %s%n", h.hash());
            out.printf("uuid           %s%n", h.uuid());
            out.printf("members        %d%n", info.entries().size());
            for (NeffFile.Entry e : info.entries()) {
                out.printf("  %12d  %s%s%n", e.size(), e.name(), e.type() == '5' ? "/" : "");
            }
            io.ifPresent(m -> {
                out.printf("io manifest    %d tensors%n", m.tensors().size());
                for (IoManifest.Tensor t : m.tensors()) {
                    out.printf("  %-6s %-24s %-8s %s (%d bytes)%n", t.usage(), t.name(), t.dtype(), t.shape(), t.size());
                }
            });
        }
    }
}
