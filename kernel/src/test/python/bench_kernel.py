"""Benchmark (not a test): kernel start to ready, first cell, warm `1+1` and warm whole-cell magic round
trips, through Debian's jupyter_client on the installed kernelspec. The project's target: the plain
JJava kernel's 1.2-1.6 s start and ~60 ms magic round trip.

    /usr/bin/python3 kernel/src/test/python/bench_kernel.py [--starts N] [--runs N]
"""
import argparse
import os
import statistics
import time

import jupyter_client

KERNEL = os.environ.get("JNEURON_KERNEL_NAME", "neuron-java")


def roundtrip(kc, code):
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    while True:
        r = kc.get_shell_msg(timeout=120)
        if r["parent_header"].get("msg_id") == msg_id:
            break
    dt = time.perf_counter() - t0
    if r["content"]["status"] != "ok":
        raise RuntimeError(f"{code!r} failed: {r['content']}")
    return dt * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--starts", type=int, default=3)
    ap.add_argument("--runs", type=int, default=20)
    a = ap.parse_args()
    starts, firsts = [], []
    for i in range(a.starts):
        t0 = time.perf_counter()
        km, kc = jupyter_client.manager.start_new_kernel(kernel_name=KERNEL, startup_timeout=120)
        starts.append(time.perf_counter() - t0)
        try:
            time.sleep(0.0 if i else 0.0)
            firsts.append(roundtrip(kc, "1+1"))
            if i == a.starts - 1:
                roundtrip(kc, "%neuron_cache --help")
                expr = [roundtrip(kc, "1+1") for _ in range(a.runs)]
                magic = [roundtrip(kc, "%neuron_cache --help") for _ in range(a.runs)]
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=False)
    print(f"start -> ready   s : " + ", ".join(f"{s:.2f}" for s in starts))
    print(f"first cell 1+1   ms: " + ", ".join(f"{s:.0f}" for s in firsts))
    print(f"warm 1+1         ms: min {min(expr):.0f}, median {statistics.median(expr):.0f}")
    print(f"warm magic       ms: min {min(magic):.0f}, median {statistics.median(magic):.0f}  (%neuron_cache --help)")


if __name__ == "__main__":
    main()
