"""Executes the tutorial notebooks headless through Debian's nbclient on the installed kernelspec and
asserts their outputs. Executed copies go to $JNEURON_NOTEBOOK_OUT (default /tmp/jneuron-notebooks/executed).

    /usr/bin/python3 notebooks/tests/run_notebooks.py [NOTEBOOK ...] [--print]

--print shows each cell's text output (the quickstart uses it to show its results).
"""
import os
import pathlib
import sys
import time

import nbformat
from nbclient import NotebookClient

HERE = pathlib.Path(__file__).resolve().parent.parent
KERNEL = os.environ.get("JNEURON_KERNEL_NAME", "neuron-java")
OUT = pathlib.Path(os.environ.get("JNEURON_NOTEBOOK_OUT", "/tmp/jneuron-notebooks/executed"))


def outputs(cell):
    return cell.get("outputs", [])


def html_of(cell):
    return "".join(o.get("data", {}).get("text/html", "") for o in outputs(cell))


def text_of(cell):
    parts = []
    for o in outputs(cell):
        if o["output_type"] == "stream":
            parts.append(o["text"])
        else:
            parts.append(o.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def result_of(cell):
    return "".join(o["data"].get("text/plain", "") for o in outputs(cell) if o["output_type"] == "execute_result")


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def find(nb, source_start):
    hits = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith(source_start)]
    check(hits, f"no code cell starts with {source_start!r}")
    return hits


def assert_quickstart(nb):
    backend = find(nb, "%neuron_backend")[0]
    check("jneuron-table" in html_of(backend) and "selected backend: cpu" in result_of(backend), "backend table")
    first, second = find(nb, "%neuron_export")
    check(result_of(first).startswith("cache miss"), "first export is a cache miss: " + result_of(first)[:200])
    check('<table class="jneuron-table"' in html_of(first), "first export renders an HTML table")
    check(result_of(second).startswith("cache hit-local"), "second export is a cache hit: " + result_of(second)[:200])
    lookup = html_of(find(nb, "%neuron_cache lookup")[0])
    check('<table class="jneuron-table"' in lookup, "lookup renders an HTML registry table")
    rows = lookup.count("<tr>") - 1
    check(rows == 1, f"lookup finds exactly the one exported configuration, got {rows} rows")
    for want in ("<td>1</td>", "<td>128</td>", "<td>local</td>", "batch size", "sequence length"):
        check(want in lookup, f"lookup row has {want}")
    gen = find(nb, "%%neuron_generate")[0]
    streamed = [o for o in outputs(gen) if o["output_type"] == "display_data"]
    check(streamed, "generation streams into a display_data output")
    text = streamed[-1]["data"]["text/plain"]
    check(text.startswith("Once upon a time") and len(text) > len("Once upon a time"), "generated text: " + text)
    check("decode tok/s" in html_of(gen), "generation ends with a timings table")


CHECKS = {"01-quickstart.ipynb": assert_quickstart}


def run(path, show):
    nb = nbformat.read(path, as_version=4)
    t0 = time.time()
    NotebookClient(nb, kernel_name=KERNEL, timeout=600, resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.time() - t0
    OUT.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, OUT / path.name)
    if show:
        for c in nb.cells:
            if c.cell_type == "code":
                print(f"In:  {c.source}\nOut: {text_of(c).strip()}\n")
    CHECKS.get(path.name, lambda _: None)(nb)
    print(f"[notebooks] {path.name}: executed in {seconds:.1f} s, outputs asserted; executed copy in {OUT / path.name}")


def main(argv):
    show = "--print" in argv
    names = [a for a in argv if not a.startswith("--")] or sorted(p.name for p in HERE.glob("*.ipynb"))
    for n in names:
        run(HERE / pathlib.Path(n).name, show)


if __name__ == "__main__":
    main(sys.argv[1:])
