"""Drives the installed "Java (Neuron)" kernelspec through Debian's jupyter_client: the protocol
behaviour the kernel promises, plus jupyter_kernel_test's conformance suite.

Run with Debian's interpreter: /usr/bin/python3 kernel/src/test/python/test_kernel.py
Kernel name: $JNEURON_KERNEL_NAME (default neuron-java).
"""
import os
import time
import unittest

import jupyter_client
import jupyter_kernel_test

KERNEL = os.environ.get("JNEURON_KERNEL_NAME", "neuron-java")
TIMEOUT = 120


def run(kc, code, timeout=TIMEOUT):
    """Executes code; returns (reply content, iopub messages of that request)."""
    msg_id = kc.execute(code)
    msgs = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        msgs.append(m)
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
    while True:
        r = kc.get_shell_msg(timeout=timeout)
        if r["parent_header"].get("msg_id") == msg_id:
            return r["content"], msgs


def of_type(msgs, kind):
    return [m["content"] for m in msgs if m["msg_type"] == kind]


class NeuronKernelProtocol(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = jupyter_client.manager.start_new_kernel(kernel_name=KERNEL, startup_timeout=TIMEOUT)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=False)

    def test_expression_result(self):
        reply, msgs = run(self.kc, "1+1")
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(of_type(msgs, "execute_result")[0]["data"]["text/plain"], "2")

    def test_streams(self):
        _, msgs = run(self.kc, 'System.out.println("to out"); System.err.println("to err"); 40+2')
        streams = {s["name"]: s["text"] for s in of_type(msgs, "stream")}
        self.assertIn("to out", streams.get("stdout", ""))
        self.assertIn("to err", streams.get("stderr", ""))
        self.assertEqual(of_type(msgs, "execute_result")[0]["data"]["text/plain"], "42")

    def test_compile_error_shows_the_span(self):
        reply, msgs = run(self.kc, 'int y = "no";')
        self.assertEqual(reply["status"], "error")
        tb = "\n".join(of_type(msgs, "error")[0]["traceback"])
        self.assertIn("incompatible types", tb)
        self.assertIn("^", tb)

    def test_runtime_error_and_kernel_survives(self):
        reply, msgs = run(self.kc, 'throw new IllegalStateException("boom");')
        self.assertEqual(reply["status"], "error")
        self.assertIn("boom", of_type(msgs, "error")[0]["evalue"])
        reply, _ = run(self.kc, "3")
        self.assertEqual(reply["status"], "ok")

    def test_magic_error_is_short(self):
        reply, msgs = run(self.kc, "%neuron_export /nonexistent/model /tmp/x --bogus")
        self.assertEqual(reply["status"], "error")
        tb = "\n".join(of_type(msgs, "error")[0]["traceback"])
        self.assertIn("usage:", tb)
        self.assertNotIn("\tat ", tb)

    def test_display_and_table_render_as_html(self):
        _, msgs = run(self.kc, 'var t = io.jneuron.core.report.Table.of(java.util.List.of("a"), '
                               'java.util.List.of(java.util.List.of("<x>")));\ndisplay(t);\nt')
        shown = of_type(msgs, "display_data")[0]["data"]
        self.assertIn("<table", shown["text/html"])
        self.assertIn("&lt;x&gt;", shown["text/html"])
        self.assertIn("<table", of_type(msgs, "execute_result")[0]["data"]["text/html"])

    def test_backend_magic(self):
        _, msgs = run(self.kc, "%neuron_backend")
        html = of_type(msgs, "execute_result")[0]["data"]["text/html"]
        self.assertIn("jneuron-table", html)
        self.assertIn("cpu", html)

    def test_completion(self):
        msg_id = self.kc.complete("Sys", 3)
        r = self.kc.get_shell_msg(timeout=TIMEOUT)
        while r["parent_header"]["msg_id"] != msg_id:
            r = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertIn("System", r["content"]["matches"])

    def complete(self, code, at=None):
        msg_id = self.kc.complete(code, len(code) if at is None else at)
        r = self.kc.get_shell_msg(timeout=TIMEOUT)
        while r["parent_header"]["msg_id"] != msg_id:
            r = self.kc.get_shell_msg(timeout=TIMEOUT)
        return r["content"]

    def test_completion_of_magic_verbs_and_options(self):
        r = self.complete("%neuron_cache lo")
        self.assertEqual(r["matches"], ["lookup"])
        self.assertEqual(r["cursor_start"], len("%neuron_cache "))
        self.assertIn("--sequence_length", self.complete("%neuron_export --seq")["matches"])
        self.assertIn("--sequence_length", self.complete("%neuron_cache lookup m --seq")["matches"])
        self.assertIn("--max_new_tokens", self.complete("%%neuron_generate m --max")["matches"])
        self.assertIn("--repository", self.complete("int x = 1;\n%maven --re")["matches"])
        self.assertIn("%lsmagic", self.complete("%lsm")["matches"])

    def test_help_and_version_on_every_magic(self):
        _, msgs = run(self.kc, "%lsmagic")
        listing = of_type(msgs, "execute_result")[0]["data"]["text/plain"]
        names = [w for line in listing.splitlines() for w in line.split()[:1] if w.startswith("%")]
        self.assertGreaterEqual(len(names), 9, listing)
        self.assertIn("%neuron_backend", names)
        self.assertIn("%%neuron_pipeline", names)

        def text_of(code):
            reply, msgs = run(self.kc, code)
            self.assertEqual(reply["status"], "ok", f"{code!r}: {reply}")
            results = of_type(msgs, "execute_result")
            self.assertEqual(len(results), 1, f"{code!r}: {msgs}")
            return results[0]["data"]["text/plain"]

        for name in names:
            # picocli's usage of the magic's own spec: a synopsis naming the magic, then its options.
            usage = text_of(name + " --help")
            self.assertTrue(usage.startswith("Usage: " + name + " "), f"{name} --help: {usage[:200]!r}")
            self.assertIn("-h, --help", usage, name)
            self.assertNotIn("no usage text", usage, name)
            self.assertEqual(text_of(name + " -h"), usage, name)
            if name.startswith("%%"):  # whatever the body, help wins
                self.assertEqual(text_of(name + " --help\nA body line.\nAnother."), usage, name)
                self.assertEqual(text_of(name + " -h\n"), usage, name)
            for flag in ("--version", "-V"):
                self.assertTrue(text_of(name + " " + flag).startswith("jneuron kernel "), f"{name} {flag}")

    def test_inspect_on_a_magic_shows_its_help(self):
        msg_id = self.kc.inspect("%neuron_export /m /o", 3)
        r = self.kc.get_shell_msg(timeout=TIMEOUT)
        while r["parent_header"]["msg_id"] != msg_id:
            r = self.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertTrue(r["content"]["found"])
        self.assertIn("--sequence_length", r["content"]["data"]["text/plain"])

    def test_interrupt_stops_a_sleep(self):
        msg_id = self.kc.execute("Thread.sleep(60_000);")
        time.sleep(2)
        t0 = time.time()
        self.km.interrupt_kernel()
        while True:
            r = self.kc.get_shell_msg(timeout=TIMEOUT)
            if r["parent_header"]["msg_id"] == msg_id:
                break
        self.assertLess(time.time() - t0, 10)
        self.assertEqual(r["content"]["status"], "error")
        reply, _ = run(self.kc, "1")
        self.assertEqual(reply["status"], "ok")


class NeuronKernelConformance(jupyter_kernel_test.KernelTests):
    kernel_name = KERNEL
    language_name = "java"
    file_extension = ".jshell"
    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("oops");'
    completion_samples = [{"text": "StringBuil", "matches": {"StringBuilder"}}]
    complete_code_samples = ["1+1", "int x = 1;"]
    incomplete_code_samples = ["int f() {"]
    code_execute_result = [{"code": "6*7", "result": "42"}]
    code_display_data = [{"code": 'display("hi");', "mime": "text/plain"}]
    code_inspect_sample = "Math.max("


if __name__ == "__main__":
    unittest.main(verbosity=2)
