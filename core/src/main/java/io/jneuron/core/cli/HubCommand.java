package io.jneuron.core.cli;

import io.jneuron.core.NeuronKernelException;
import io.jneuron.core.report.Report;
import io.jneuron.core.service.Context;
import io.jneuron.core.service.HubService;
import io.jneuron.core.hub.HubToken;
import io.jneuron.core.hub.LocalHub;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code jneuron hub upload|download|serve}: exported folders to and from Hub repos (argument order as the
 * Hugging Face CLI has them), and a Hub-compatible server over a folder (docs/cli.md).
 */
@Command(name = "hub", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Hugging Face Hub tools.",
        subcommands = {HubCommand.Upload.class, HubCommand.Download.class, HubCommand.Serve.class,
                CommandLine.HelpCommand.class})
final class HubCommand extends CommandGroup {
    @Command(name = "upload", mixinStandardHelpOptions = true,
            description = "Upload LOCAL_DIR (e.g. an exported model) to the Hub model repo REPO_ID in one commit, "
                    + "creating the repo if needed. Uses HF_ENDPOINT and HF_TOKEN.")
    static final class Upload extends ReportCommand {
        @Parameters(index = "0", paramLabel = "REPO_ID", description = "Model repo, e.g. my-org/tiny-llama-neuron.")
        String repo;

        @Parameters(index = "1", paramLabel = "LOCAL_DIR", description = "Folder to upload.")
        Path dir;

        @Option(names = "--private", description = "Create the repo private (when it does not exist yet).")
        boolean isPrivate;

        @Override
        public Report report(Context ctx) {
            return HubService.upload(repo, dir, isPrivate, ctx);
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true,
            description = "Download every file of the Hub model repo REPO_ID into the Hugging Face cache and print "
                    + "the snapshot folder. Uses HF_ENDPOINT, HF_TOKEN, HF_HOME, HF_HUB_OFFLINE.")
    static final class Download extends ReportCommand {
        @Parameters(index = "0", paramLabel = "REPO_ID", description = "Model repo, e.g. my-org/tiny-llama-neuron.")
        String repo;

        @Override
        public Report report(Context ctx) {
            return HubService.download(repo, ctx);
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, description = "Serve DIR (repos in DIR/org/name/) with the Hub API, until interrupted. "
            + "Clients use the printed URL as HF_ENDPOINT.")
    static final class Serve implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "Folder to serve.")
        Path dir;

        @Option(names = "--port", defaultValue = "8765", description = "Port (0: any free port; default ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--host", defaultValue = "127.0.0.1",
                description = "Address to bind (default loopback; 0.0.0.0 serves the network).")
        String host;

        @Option(names = "--token-file", paramLabel = "F",
                description = "Require this bearer token (the file's contents) on every request.")
        Path tokenFile;

        @Option(names = "--lfs-threshold", defaultValue = "10000000", hidden = true,
                description = "Files of at least this many bytes go through LFS (default: the Hub's 10 MB).")
        long lfsThreshold;

        @Option(names = "--request-timeout", paramLabel = "S", defaultValue = "300",
                description = "Close a connection that takes over S seconds to send a request or to take a reply "
                        + "(default ${DEFAULT-VALUE}; raise it for multi-GB transfers over slow links).")
        long requestTimeout;

        /** Counted down to stop the server; tests call it instead of interrupting. */
        final CountDownLatch stop = new CountDownLatch(1);

        @Override
        public Integer call() throws Exception {
            if (requestTimeout < 1) {
                throw new NeuronKernelException("--request-timeout must be at least 1 second, got " + requestTimeout);
            }
            LocalHub.requestTimeout(requestTimeout);
            HubToken token = tokenFile == null ? null : readToken(tokenFile);
            try (LocalHub hub = LocalHub.start(dir, host, port, token, lfsThreshold, 1000)) {
                PrintWriter out = spec.commandLine().getOut();
                out.println("serving " + dir.toAbsolutePath().normalize() + " at " + hub.url()
                        + (token == null ? "" : " (token required)"));
                out.flush();
                Thread hook = new Thread(stop::countDown, "jneuron-hub-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    stop.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException e) {
                        // already shutting down: the hook is running, nothing to remove
                    }
                }
            }
            return 0;
        }

        private static HubToken readToken(Path file) {
            try {
                if (Files.size(file) > 4096) {
                    throw new NeuronKernelException("--token-file " + file + " is larger than a token; give a file holding one token");
                }
                return HubToken.of(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new NeuronKernelException("cannot read --token-file " + file + " (" + e.getClass().getSimpleName()
                        + "); check the path and its permissions");
            }
        }
    }
}
