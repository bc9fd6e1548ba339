package io.jneuron.kernel;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Kernel entry point: {@code java -cp 'lib/*' io.jneuron.kernel.Main CONNECTION_FILE} (see install/kernelspec). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: io.jneuron.kernel.Main CONNECTION_FILE (Jupyter passes it)");
            System.exit(2);
        }
        // The base kernel logs every bind and loop start at INFO; stderr is the notebook server's log.
        Logger.getLogger("").setLevel(Level.WARNING);
        watchParent(System.getenv("JPY_PARENT_PID"));
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        JupyterConnection connection = new JupyterConnection(props);
        NeuronKernel kernel = NeuronKernel.create();
        kernel.becomeHandlerForConnection(connection);
        kernel.onStartup();
        connection.connect();
        connection.waitUntilClose();
        System.exit(0);
    }

    /**
     * A kernel whose Jupyter server died is never told to shut down; without this it lingers forever,
     * re-parented to init.
     */
    static void watchParent(String pid) {
        if (pid == null || !pid.matches("\\d+") || Long.parseLong(pid) <= 1) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid)).ifPresentOrElse(
                h -> h.onExit().thenRun(() -> {
                    System.err.println("jneuron: parent process " + pid + " is gone; exiting");
                    Runtime.getRuntime().halt(0);
                }),
                () -> {
                    System.err.println("jneuron: parent process " + pid + " is not running; exiting");
                    Runtime.getRuntime().halt(0);
                });
    }
}
