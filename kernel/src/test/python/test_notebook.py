"""Executes kernel/src/test/notebooks/ordinary-java.ipynb with Debian's nbclient on the installed kernelspec:
ordinary Java (nulls, void calls, exceptions, a 10 MB string, an OOM, System.exit), magics mixed with Java,
%maven of a library with transitive dependencies (from Maven Central) used in the next cell, %lsmagic.
No cell may be an "internal error", and the kernel must be alive at the end.

    /usr/bin/python3 kernel/src/test/python/test_notebook.py     (kernel: $JNEURON_KERNEL_NAME, default neuron-java)
"""
import os
import pathlib
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.util import run_sync

KERNEL = os.environ.get("JNEURON_KERNEL_NAME", "neuron-java")
NOTEBOOK = pathlib.Path(__file__).resolve().parents[1] / "notebooks" / "ordinary-java.ipynb"


def texts(cell):
    out = []
    for o in cell.outputs:
        if o.output_type == "stream":
            out.append(o.text)
        elif o.output_type == "error":
            out.append(o.ename + ": " + o.evalue + "\n" + "\n".join(o.traceback))
        else:
            out.append(o.get("data", {}).get("text/plain", ""))
    return "\n".join(out)


def result(cell):
    return "".join(o["data"].get("text/plain", "") for o in cell.outputs if o.output_type == "execute_result")


def errors(cell):
    return [o for o in cell.outputs if o.output_type == "error"]


def main():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=300, allow_errors=True)
    failures = []

    def expect(i, cond, what):
        if not cond:
            failures.append(f"cell {i} ({nb.cells[i].source.splitlines()[0][:50]!r}): {what}; got {texts(nb.cells[i])[:400]!r}")

    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            client.execute_cell(cell, i)
        alive = run_sync(client.km.is_alive)()
    for i, c in enumerate(nb.cells):
        expect(i, "internal error" not in texts(c), "no internal error")
    ok = lambda i: not errors(nb.cells[i])  # noqa: E731
    for i in (0, 1, 5):
        expect(i, ok(i) and not result(nb.cells[i]), "a declaration or void call: no error, no value")
    for i in (2, 3, 4):
        expect(i, ok(i) and result(nb.cells[i]) == "null", "a null value shows as null")
    expect(5, "hello, notebook" in texts(nb.cells[5]), "the void method printed")
    expect(6, errors(nb.cells[6]) and "ArithmeticException: / by zero" in texts(nb.cells[6])
           and "at divide" in texts(nb.cells[6]) and "jdk.jshell" not in texts(nb.cells[6]), "a short exception")
    expect(7, result(nb.cells[7]) == "10000000", "a 10 MB string")
    expect(8, errors(nb.cells[8]) and "OutOfMemoryError" in texts(nb.cells[8]), "an OOM is a cell error")
    expect(9, errors(nb.cells[9]) and "refused" in texts(nb.cells[9]), "System.exit is refused")
    expect(10, result(nb.cells[10]) == "2" and "%maven" in texts(nb.cells[10]), "%lsmagic between Java lines")
    expect(11, ok(11) and "commons-lang3" in texts(nb.cells[11]), "%maven brings the transitive commons-lang3")
    expect(12, result(nb.cells[12]) == "Hello World", "the next cell uses both jars")
    expect(13, ok(13) and "--sequence_length" in texts(nb.cells[13]), "--help of a verb")
    expect(14, ok(14) and "--max_new_tokens" in texts(nb.cells[14]), "--help with an empty cell-magic body")
    expect(15, errors(nb.cells[15]) and "/nonexistent/world.jshell" in texts(nb.cells[15]), "{expr} expansion")
    expect(16, result(nb.cells[16]) == "2", "the kernel still evaluates")
    if not alive:
        failures.append("the kernel died")
    for f in failures:
        print("[ordinary-java] FAIL " + f, file=sys.stderr)
    print(f"[ordinary-java] {len(nb.cells)} cells, {len(failures)} failed checks", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
