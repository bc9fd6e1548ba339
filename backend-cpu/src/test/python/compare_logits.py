#!/usr/bin/python3
"""Compares two logits documents of the reference_decoder.py schema
({"rows": [{"prompt_ids", "generated_ids", "logits": [[...], ...]}]}), e.g. the numpy reference
against Jlama (bench/jlama/run.sh --logits) or against jneuron.

    /usr/bin/python3 compare_logits.py REFERENCE.json OTHER.json [--tol 1e-4]

Rows are matched by position and must have the same prompt. Step k is compared only while both
sides generated the same ids before it (after a divergence the inputs differ). Prints one JSON
summary and exits 0 when every row has identical greedy ids and max |diff| <= tol, else 1.
"""

import argparse
import json
import sys

import numpy as np


def compare(ref, other, tol):
    rows = []
    ok = True
    if len(ref["rows"]) != len(other["rows"]):
        raise ValueError(f"row counts differ: {len(ref['rows'])} vs {len(other['rows'])}")
    worst = 0.0
    for i, (a, b) in enumerate(zip(ref["rows"], other["rows"])):
        if a["prompt_ids"] != b["prompt_ids"]:
            raise ValueError(f"row {i}: prompts differ")
        ga, gb = a["generated_ids"], b["generated_ids"]
        n = min(len(ga), len(gb), len(a["logits"]), len(b["logits"]))
        diverge = next((k for k in range(min(len(ga), len(gb))) if ga[k] != gb[k]), None)
        steps = n if diverge is None else min(n, diverge + 1)
        per_step = []
        for k in range(steps):
            la = np.asarray(a["logits"][k], dtype=np.float64)
            lb = np.asarray([np.nan if v is None else v for v in b["logits"][k]], dtype=np.float64)
            if la.shape != lb.shape:
                raise ValueError(f"row {i} step {k}: vocab sizes differ {la.shape} vs {lb.shape}")
            per_step.append(float(np.max(np.abs(la - lb))))
        mx = max(per_step) if per_step else 0.0
        same = diverge is None and len(ga) == len(gb)
        row_ok = same and mx <= tol and not np.isnan(mx)
        ok = ok and row_ok
        worst = max(worst, mx)
        rows.append({"row": i, "prompt_len": len(a["prompt_ids"]), "greedy_identical": same,
                     "first_divergence": diverge, "compared_steps": steps,
                     "max_abs_diff": mx, "max_abs_diff_step0": per_step[0] if per_step else None,
                     "max_abs_logit": float(max(np.max(np.abs(np.asarray(l)))
                                                for l in a["logits"][:max(steps, 1)]))
                     if a["logits"] else None,
                     "ok": row_ok})
    return {"ok": ok, "tol": tol, "max_abs_diff": worst, "rows": rows}


def main(argv=None):
    ap = argparse.ArgumentParser(description="compare two logits JSON documents")
    ap.add_argument("reference")
    ap.add_argument("other")
    ap.add_argument("--tol", type=float, default=1e-4)
    a = ap.parse_args(argv)
    try:
        docs = []
        for path in (a.reference, a.other):
            try:
                with open(path) as f:
                    docs.append(json.load(f))
            except (OSError, ValueError) as e:
                raise ValueError(f"{path}: cannot read a logits JSON document ({e})") from None
            if not isinstance(docs[-1], dict) or not isinstance(docs[-1].get("rows"), list):
                raise ValueError(f"{path}: expected {{\"rows\": [...]}}")
        summary = compare(docs[0], docs[1], a.tol)
    except (ValueError, KeyError, TypeError) as e:
        print(f"compare_logits: {e}", file=sys.stderr)
        return 2
    print(json.dumps(summary, indent=1))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
