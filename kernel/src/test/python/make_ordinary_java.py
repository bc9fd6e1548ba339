"""Writes kernel/src/test/notebooks/ordinary-java.ipynb: ordinary Java and magics a new user tries first.
test_notebook.py executes it through nbclient and asserts every cell. Run this after editing the cells."""
import json
import pathlib

OUT = pathlib.Path(__file__).resolve().parents[1] / "notebooks" / "ordinary-java.ipynb"

CELLS = [
    'String s = null;',
    'String t;',
    't',
    'System.getenv("JNEURON_NO_SUCH_VARIABLE")',
    'var m = new java.util.HashMap<String, Integer>();\nm.get("k")',
    'void greet(String who) { System.out.println("hello, " + who); }\ngreet("notebook");',
    'int divide(int a, int b) { return a / b; }\ndivide(1, 0)',
    'String big = "x".repeat(10_000_000);\nbig.length()',
    'long[] hog = new long[2_000_000_000];',
    'System.exit(0);',
    'int z = 1;\n%lsmagic\nz + 1',
    '%maven org.apache.commons:commons-text:1.12.0',
    'org.apache.commons.text.WordUtils.capitalize("hello " + org.apache.commons.lang3.StringUtils.reverse("dlrow"))',
    '%neuron_cache lookup --help',
    '%%neuron_generate --help',
    'String who = "world";\n%load {"/nonexistent/" + who + ".jshell"}',
    '1 + 1',
]


def main():
    cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": c,
              "id": f"oj-{i:02d}"} for i, c in enumerate(CELLS)]
    nb = {"cells": cells, "metadata": {"kernelspec": {"display_name": "Java (Neuron)", "language": "java",
                                                      "name": "neuron-java"}, "language_info": {"name": "java"}},
          "nbformat": 4, "nbformat_minor": 5}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(nb, indent=1) + "\n")


if __name__ == "__main__":
    main()
