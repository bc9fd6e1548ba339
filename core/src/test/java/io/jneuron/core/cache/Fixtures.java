package io.jneuron.core.cache;

import java.util.List;
import java.util.Map;

/** Test inputs shared by the registry and CLI tests, taken from the Python goldens. */
final class Fixtures {
    static final CompilerId NEURONXCC = new CompilerId("neuronxcc", "2.21.33363.0+82129205");
    static final String LLAMA = "llamafactory/tiny-random-Llama-3";

    private Fixtures() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> golden(String name) {
        for (Object o : (List<?>) PyJson.parse(Goldens.text("registry/cases.json"), "cases.json")) {
            Map<String, Object> c = (Map<String, Object>) o;
            if (name.equals(c.get("name"))) {
                return c;
            }
        }
        throw new IllegalArgumentException(name);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> config(String name) {
        return (Map<String, Object>) golden(name).get("config");
    }

    @SuppressWarnings("unchecked")
    static RegistryEntry entry(String name) {
        Map<String, Object> c = golden(name);
        return RegistryEntry.create((Map<String, Object>) c.get("config"), (Map<String, Object>) c.get("neuron"),
                (String) c.get("model_id"), (String) c.get("task"));
    }
}
