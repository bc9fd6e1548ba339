"""Writes the tutorial notebooks from the cell lists below (run it after editing them): plain JSON, nbformat 4."""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent.parent
KERNEL = {"display_name": "Java (Neuron)", "language": "java", "name": "neuron-java"}


def md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text.strip("\n")}


def code(text):
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": text.strip("\n")}


def write(name, cells):
    nb = {"cells": cells, "metadata": {"kernelspec": KERNEL, "language_info": {"name": "java"}},
          "nbformat": 4, "nbformat_minor": 5}
    for i, c in enumerate(nb["cells"]):
        c["id"] = f"{name[:2]}-{i:02d}"
    (HERE / name).write_text(json.dumps(nb, indent=1) + "\n")


W = "/tmp/jneuron-notebooks/01"
write("01-quickstart.ipynb", [
    md("""
# Quickstart: export, look up, generate

Everything here runs on the embedded CPU backend, so it works on any machine. We make a tiny random-weight
Llama in real Hugging Face format, export it to a static-shape compiled model, find it in the compile cache's
registry, generate text with it, and export it again to see the cache hit.

Which backends exist, and which one the magics will use:"""),
    code("%neuron_backend"),
    md("A tiny (about 1M parameters) Llama checkpoint: `config.json`, `model.safetensors`, `tokenizer.json`. "
       "Plain Java in the same JVM as the magics:"),
    code(f"""
import java.nio.file.*;
import io.jneuron.core.model.Architecture;
import io.jneuron.core.testing.*;

Path work = Path.of("{W}");
// A fresh compile cache, so the first export below really compiles.
if (Files.exists(work)) {{
    try (var s = Files.walk(work)) {{
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }}
}}
TinyModels.generate(TinyModelSpec.tiny(Architecture.LLAMA), work.resolve("tiny-llama"));
Files.list(work.resolve("tiny-llama")).map(p -> p.getFileName().toString()).sorted().toList()"""),
    md("Export it for batch 1 and sequence length 128 (the prompt plus the generated tokens). The compile cache "
       "is empty, so this is a cache miss: the CPU backend compiles (casts and packs the weights for its kernels)."),
    code(f"%neuron_export {W}/tiny-llama {W}/tiny-llama-cpu --sequence_length 128 --cache_dir {W}/cache"),
    md("The export wrote a registry entry. Look the model up in the registry:"),
    code(f"%neuron_cache lookup {W}/tiny-llama --cache_dir {W}/cache"),
    md("Generate: the cell body is the prompt. Tokens stream into the output; a timings table ends the cell. "
       "The weights are random, so the text is nonsense, but every step is real."),
    code(f"""
%%neuron_generate {W}/tiny-llama-cpu --max_new_tokens 24
Once upon a time"""),
    md("Export the same configuration again, to another folder: the compile cache has it, so nothing is compiled."),
    code(f"%neuron_export {W}/tiny-llama {W}/tiny-llama-cpu-2 --sequence_length 128 --cache_dir {W}/cache"),
])
