package io.jneuron.neuron.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Neuron devices on this host: {@code <dev>/neuron<N>} nodes, each with
 * {@code <sys>/devices/virtual/neuron_device/neuron<N>/core_count}. Both roots are parameters so
 * tests can build a fake tree. Reading never throws: an unreadable count is reported as unknown.
 */
public final class NeuronDevices {
    private static final Pattern NODE = Pattern.compile("neuron(\\d+)");

    /** One device; {@code cores} is -1 when sysfs does not say. */
    public record Device(int index, Path node, int cores) {
    }

    /** Every device found, by index; {@code totalCores} counts only known core counts. */
    public record Inventory(List<Device> devices, int totalCores, String note) {
        public boolean isEmpty() {
            return devices.isEmpty();
        }
    }

    private NeuronDevices() {
    }

    public static Inventory scan(Path devRoot, Path sysRoot) {
        List<Device> found = new ArrayList<>();
        if (!Files.isDirectory(devRoot)) {
            return new Inventory(List.of(), 0, devRoot + " is not a directory");
        }
        try (Stream<Path> s = Files.list(devRoot)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Matcher m = NODE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    int idx = Integer.parseInt(m.group(1));
                    found.add(new Device(idx, p, cores(sysRoot, idx)));
                }
            }
        } catch (IOException | RuntimeException e) {
            return new Inventory(List.of(), 0, "cannot list " + devRoot + ": " + e.getMessage());
        }
        found.sort(Comparator.comparingInt(Device::index));
        int total = found.stream().mapToInt(Device::cores).filter(c -> c > 0).sum();
        return new Inventory(List.copyOf(found), total, found.isEmpty() ? "no " + devRoot + "/neuron* devices" : "");
    }

    private static int cores(Path sysRoot, int idx) {
        Path f = sysRoot.resolve("devices/virtual/neuron_device/neuron" + idx + "/core_count");
        try {
            return Integer.parseInt(Files.readString(f).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
