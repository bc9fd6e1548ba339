"""Runs every tutorial notebook (notebooks/*.ipynb) live in a real browser: Debian's notebook server (jupyter
notebook 6) on 127.0.0.1 and headless Debian chromium driven by Debian's python3-selenium, in a 1280-px window.
For each it opens a copy, runs all cells, waits for them, and checks: no cell failed, no table reaches past the
window or scrolls sideways, no text/plain form of a table has a line over 120 characters; the quickstart's
tables and generated text in detail. It saves one screenshot per notebook.

    /usr/bin/python3 notebooks/tests/browser_test.py [--artifacts DIR] [--timeout SECONDS] [NOTEBOOK ...]

Default artifacts: target/ci-artifacts/<notebook>.png under the repository. Needs the apt packages
jupyter-notebook, chromium, chromium-driver and python3-selenium, and the installed neuron-java kernelspec
($JNEURON_KERNEL_NAME). Exits non-zero, naming the failed check, on any failure.
"""
import argparse
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

ROOT = pathlib.Path(__file__).resolve().parents[2]
KERNEL = os.environ.get("JNEURON_KERNEL_NAME", "neuron-java")
WIDTH = 1280
MAX_TEXT_LINE = 120
# The machine may have no network: without these flags chromium hangs on lookups.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]


def log(msg):
    print(f"[browser] {msg}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, deadline, probe, every=0.25):
    """Polls probe() until it returns a truthy value; raises naming `what` at the deadline."""
    last = None
    while time.time() < deadline:
        try:
            value = probe()
            if value:
                return value
        except Exception as e:  # the page may be mid-load; keep polling until the deadline
            last = e
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}" + (f" (last error: {last})" if last else ""))


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def start_server(folder, port, logfile):
    cmd = ["/usr/bin/python3", "-m", "notebook", "--no-browser", "--allow-root", "--ip=127.0.0.1",
           f"--port={port}", "--port-retries=0", f"--notebook-dir={folder}",
           "--NotebookApp.token=", "--NotebookApp.password=", "--NotebookApp.open_browser=False"]
    env = dict(os.environ, PATH="/usr/bin:" + os.environ.get("PATH", ""), PYTHONUNBUFFERED="1")
    return subprocess.Popen(cmd, stdout=logfile, stderr=subprocess.STDOUT, env=env, start_new_session=True)


def stop_server(server):
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # notebook 6 shuts its kernels down on SIGTERM
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def browser(profile):
    opts = Options()
    opts.binary_location = "/usr/bin/chromium"
    for f in CHROMIUM_FLAGS + [f"--user-data-dir={profile}", f"--window-size={WIDTH},1600"]:
        opts.add_argument(f)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


# Every code cell has run: a number in its prompt, none still '*' (queued or running).
ALL_DONE = """
const cells = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code');
return cells.length > 0 && cells.every(c => typeof c.input_prompt_number === 'number');
"""

# Tables wider than the window, and output areas that scroll sideways, in the 1280-px window.
OVERFLOW = """
const limit = document.documentElement.clientWidth + 1;
const bad = [];
document.querySelectorAll('.output_area table').forEach(t => {
    const r = t.getBoundingClientRect();
    if (r.right > limit) bad.push('table ' + (t.className || '(no class)') + ' ends at ' + Math.round(r.right) + ' px');
});
document.querySelectorAll('.output_subarea').forEach(a => {
    if (a.scrollWidth > a.clientWidth + 1) bad.push('an output scrolls sideways: ' + a.scrollWidth + ' > ' + a.clientWidth
        + ' px: ' + a.innerText.slice(0, 60));
});
return bad;
"""

# The text/plain twin of every HTML table: what a terminal or a viewer without HTML shows.
TEXT_TABLES = """
const out = [];
Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code').forEach(c => c.output_area.outputs.forEach(o => {
    const d = o.data || {};
    if (d['text/html'] && d['text/html'].includes('<table') && d['text/plain']) out.push(d['text/plain']);
}));
return out;
"""

OUTPUTS = """
return Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code').map(c => ({
    source: c.get_text(),
    types: c.output_area.outputs.map(o => o.output_type),
    errors: c.output_area.outputs.filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue),
    text: c.output_area.element[0].innerText,
    tables: c.output_area.element[0].querySelectorAll('table.jneuron-table').length,
}));
"""


def check_quickstart(cells, tables):
    by_source = {c["source"].split()[0]: c for c in cells}
    check(by_source["%neuron_backend"]["tables"] >= 1, "the %neuron_backend table is rendered")
    exports = [c for c in cells if c["source"].startswith("%neuron_export")]
    check(len(exports) == 2 and all(c["tables"] >= 1 for c in exports), "both export tables are rendered")
    check("cache miss" in exports[0]["text"], "the first export shows a cache miss: " + exports[0]["text"][:200])
    check("cache hit-local" in exports[1]["text"], "the second export shows a cache hit: " + exports[1]["text"][:200])
    lookup = by_source["%neuron_cache"]
    check(lookup["tables"] == 1 and "Cached entries for" in lookup["text"],
          "the registry lookup table is rendered: " + lookup["text"][:200])
    gen = by_source["%%neuron_generate"]
    check(gen["tables"] == 1 and "decode tok/s" in gen["text"], "the generation timings table is rendered")
    generated = gen["text"].lstrip()
    check(generated.startswith("Once upon a time") and len(generated.split("\n")[0]) > len("Once upon a time"),
          "the generated text is shown after the prompt: " + generated[:200])
    check(tables >= 6, f"expected at least 6 rendered jneuron tables, found {tables}")
    log(f"generated text: {generated.splitlines()[0][:80]!r}")


EXTRA_CHECKS = {"01-quickstart.ipynb": check_quickstart}


def run_notebook(driver, base, notebook, screenshot, deadline):
    t0 = time.time()
    driver.set_window_size(WIDTH, 1600)
    driver.get(f"{base}/notebooks/{notebook.name}")
    wait_for(f"{notebook.name}: the kernel to connect and go idle", deadline, lambda: driver.execute_script(
        "return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel"
        " && Jupyter.notebook.kernel.is_connected()"
        " && document.querySelector('#kernel_indicator_icon.kernel_idle_icon'));"))
    kernel = driver.execute_script("return Jupyter.notebook.kernel.name;")
    check(kernel == KERNEL, f"{notebook.name} opened on kernel {kernel!r}, not {KERNEL}")
    driver.execute_script("Jupyter.notebook.clear_all_output(); Jupyter.notebook.execute_all_cells();")
    wait_for(f"{notebook.name}: every cell to finish", deadline, lambda: driver.execute_script(ALL_DONE), every=0.5)
    log(f"{notebook.name}: all cells ran in {time.time() - t0:.1f} s")

    cells = driver.execute_script(OUTPUTS)
    for c in cells:
        check(not c["errors"], f"{notebook.name}: cell {c['source'][:60]!r} failed: {c['errors']}")
        check(c["types"], f"{notebook.name}: cell {c['source'][:60]!r} shows no output")
    tables = driver.execute_script("return document.querySelectorAll('.output_html table.jneuron-table').length;")
    EXTRA_CHECKS.get(notebook.name, lambda *_: None)(cells, tables)
    overflow = driver.execute_script(OVERFLOW)
    check(not overflow, f"{notebook.name}: wider than a {WIDTH}-px window: {overflow[:5]}")
    for text in driver.execute_script(TEXT_TABLES):
        long = [line for line in text.splitlines() if len(line) > MAX_TEXT_LINE]
        if long:
            raise AssertionError(f"{notebook.name}: a text/plain table has lines over {MAX_TEXT_LINE} characters "
                                 f"({len(long[0])}): {long[0][:150]!r}")

    # notebook 6 scrolls inside #site: make the window as tall as the notebook, then shoot from the top.
    height = driver.execute_script(
        "return document.getElementById('header').offsetHeight"
        " + document.getElementById('site').scrollHeight + 20;")
    driver.set_window_size(WIDTH, min(max(int(height), 800), 16000))
    driver.execute_script("document.getElementById('site').scrollTop = 0;")
    time.sleep(0.5)
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    check(driver.save_screenshot(str(screenshot)), f"could not save the screenshot {screenshot}")
    check(screenshot.stat().st_size > 10_000, f"the screenshot {screenshot} is suspiciously small")
    # Free the kernel's memory before the next notebook starts its own.
    driver.execute_script("Jupyter.notebook.session.delete();")
    log(f"{notebook.name}: {tables} jneuron tables, no overflow, screenshot {screenshot}")


def run(notebooks, artifacts, timeout):
    deadline = time.time() + timeout
    work = pathlib.Path(tempfile.mkdtemp(prefix="jneuron-browser-"))
    # notebook 6 autosaves what it opens: drive copies, never the tracked notebooks.
    for nb in notebooks:
        doc = json.loads(nb.read_text())
        doc["metadata"]["kernelspec"]["name"] = KERNEL  # a test install may use another kernelspec name
        (work / nb.name).write_text(json.dumps(doc))
    port = free_port()
    server_log = open(work / "server.log", "w")
    server = start_server(work, port, server_log)
    driver = None
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for("the notebook server", deadline,
                 lambda: urllib.request.urlopen(base + "/api", timeout=2).status == 200)
        driver = browser(work / "chromium-profile")
        driver.set_page_load_timeout(60)
        for nb in notebooks:
            run_notebook(driver, base, work / nb.name, artifacts / (nb.stem + ".png"), deadline)
    finally:
        if driver is not None:
            driver.quit()
        stop_server(server)
        server_log.close()
        if sys.exc_info()[0] is not None:
            log("notebook server log (tail):\n" + (work / "server.log").read_text()[-3000:])
        shutil.rmtree(work, ignore_errors=True)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--artifacts", type=pathlib.Path, default=ROOT / "target" / "ci-artifacts")
    ap.add_argument("--timeout", type=float, default=480.0, help="whole-run budget in seconds (default 480)")
    ap.add_argument("notebooks", nargs="*", help="notebook files (default: every notebooks/*.ipynb)")
    a = ap.parse_args(argv)
    notebooks = [pathlib.Path(n).resolve() for n in a.notebooks] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    # An outer `timeout` sends SIGTERM: unwind through the finally blocks so the server and browser stop too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    t = time.time()
    try:
        run(notebooks, a.artifacts.resolve(), a.timeout)
    except AssertionError as e:
        log(f"FAILED: {e}")
        return 1
    log(f"passed in {time.time() - t:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
