#!/usr/bin/python3
"""An independent oracle for `cache lookup` over a LOCAL cache root (stdlib only).

Written from the spec (the optimum-neuron cache spec, §2, §3.2, §7.2), not from optimum's or
jneuron's code. Where jneuron deliberately deviates from optimum-neuron (io.jneuron.core.cache.OptimumCompat),
this oracle follows the documented jneuron choice; every such place is marked "JNEURON CHOICE".

    /usr/bin/python3 lookup_oracle.py CACHE_ROOT QUERY_JSON     # prints the rows as JSON

QUERY_JSON: {"model_id", "config" (config.json), "task", "batch_size", "sequence_length",
"tensor_parallel_size", "dtype", "instance_type"}; absent/null filters match everything.
"""
import hashlib
import json
import os
import re
import sys

# optimum's CACHE_WHITE_LIST (spec §2.2), dropped from the config before the digest and the comparison.
WHITE_LIST = ("_name_or_path", "transformers_version", "_diffusers_version", "eos_token_id", "bos_token_id",
              "pad_token_id", "torchscript", "torch_dtype", "_commit_hash", "sample_size", "projection_dim",
              "_use_default_values", "_attn_implementation_autoset", "return_dict")
# JNEURON CHOICE (OptimumCompat.CONFIG_COMPARE_IGNORED): the config comparison ignores dtype/torch_dtype,
# since transformers >= 4.56 writes the non-whitelisted `dtype`.
COMPARE_IGNORED = ("dtype", "torch_dtype")
# JNEURON CHOICE (OptimumCompat.COMPILER_FOLDER_PREFIXES, §7.1): every `neuronxcc-<v>` AND `jneuron-<backend>-<v>`
# folder and every `0_REGISTRY/<onv>` folder is searched; optimum only reads the first
# `neuronxcc-<pinned version>` folder and its own `<onv>`.
COMPILER_PREFIXES = ("neuronxcc-", "jneuron-")
COMPILER_FOLDER = re.compile(r"([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*)-(\d[A-Za-z0-9.+_-]*)")
LEGACY_MODES = ("inference", "training")  # v0.0.19-v0.1.x mode folders (spec §2.1)
HEX64 = re.compile(r"[0-9a-f]{64}")
# JNEURON CHOICE: files of an unfinished atomic write (AtomicFiles.TEMP_PREFIX) are not entries.
TEMP_PREFIX = ".jneuron-tmp-"
# The strategies, tried in this order until one finds an entry. JNEURON CHOICE (spec §7.2): optimum >= 0.4.5
# only reads the arch-digest folder; the alias and config fall-backs are jneuron's.
STRATEGIES = ("arch-digest", "alias", "config")


def int_keyed(cfg):
    """transformers' in-memory view: id2label keys become ints (as on load), at any depth."""
    if isinstance(cfg, dict):
        out = {}
        for k, v in cfg.items():
            if (k == "id2label" and isinstance(v, dict) and v
                    and all(isinstance(s, str) and re.fullmatch(r"[-+]?\d{1,18}", s) for s in v)):
                out[k] = {int(s): int_keyed(x) for s, x in v.items()}
            else:
                out[k] = int_keyed(v)
        return out
    if isinstance(cfg, list):
        return [int_keyed(x) for x in cfg]
    return cfg


def infer_task(architecture):
    """JNEURON CHOICE (OptimumCompat.inferTask): optimum asks the Hub; we read the architecture's suffix."""
    if not isinstance(architecture, str):
        return None
    for suffixes, task in ((("ForCausalLM", "LMHeadModel"), "text-generation"),
                           (("ForSequenceClassification",), "text-classification"),
                           (("ForTokenClassification",), "token-classification"),
                           (("ForQuestionAnswering",), "question-answering"),
                           (("ForMaskedLM",), "fill-mask"),
                           (("Model",), "feature-extraction")):
        if architecture.endswith(suffixes):
            return task
    return None


def target_of(query):
    """(task, model_type, arch digest, config diff) of the model looked up (spec §3.2 steps 1-2, §2.4)."""
    cfg = query["config"]
    task = query.get("task")
    if task is None:
        archs = cfg.get("architectures")
        if isinstance(archs, list) and archs:
            task = infer_task(archs[0])
    # For text-generation optimum uses config.get_text_config(); JNEURON CHOICE: the `text_config` sub-dict.
    text = cfg.get("text_config")
    if task == "text-generation" and isinstance(text, dict) and isinstance(text.get("model_type"), str):
        cfg = text
    diff = int_keyed({k: v for k, v in cfg.items() if k not in WHITE_LIST})
    mt = cfg.get("model_type")
    mt = mt if isinstance(mt, str) and mt and "/" not in mt and mt not in (".", "..") else None
    digest = None
    if mt is not None and task is not None:
        d = dict(diff)
        d.pop("neuron", None)
        digest = hashlib.sha256(json.dumps({"model_type": mt, "task": task, "config": d},
                                           sort_keys=True).encode("utf-8")).hexdigest()
    return task, mt, digest, diff


def version_tuple(v):
    m = re.match(r"(\d+(?:\.\d+)*)", v)
    return tuple(int(x) for x in m.group(1).split(".")) if m else None


def has_bookkeeping(version):
    """v0.2.0+ entries carry _entry_class/_model_id/_task (spec §2.3)."""
    t = version_tuple(version)
    return t is None or t + (0,) * 3 >= (0, 2, 0)


def layout(segments):
    """Where a file sits below the version folder (spec §2.1); None where no optimum version writes entries."""
    n = len(segments)
    if n == 2 and HEX64.fullmatch(segments[0]):
        return "arch-digest"
    if 4 <= n <= 5 and segments[0] in LEGACY_MODES:
        return "mode-model-id"
    if 3 <= n <= 4 and not HEX64.fullmatch(segments[0]):
        return "model-id"
    return None


def registry_folders(root):
    out = []
    for top in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        if not top.startswith(COMPILER_PREFIXES) or not COMPILER_FOLDER.fullmatch(top) or ".." in top:
            continue
        reg = os.path.join(root, top, "0_REGISTRY")
        if not os.path.isdir(reg) or os.path.islink(reg):
            continue
        for ver in sorted(os.listdir(reg)):
            p = os.path.join(reg, ver)
            if os.path.isdir(p) and not os.path.islink(p):
                out.append((top, ver))
    return out


def walk(root, compiler, version, sub, depth):
    """Yields (relative path, parsed entry) for the .json files under <compiler>/0_REGISTRY/<version>/<sub>."""
    base = "%s/0_REGISTRY/%s" % (compiler, version)

    def rec(rel, depth):
        d = os.path.join(root, rel)
        if not os.path.isdir(d) or os.path.islink(d):
            return
        for name in sorted(os.listdir(d)):
            child = rel + "/" + name
            p = os.path.join(root, child)
            if os.path.isdir(p):
                if not os.path.islink(p) and depth > 1:
                    yield from rec(child, depth - 1)
            elif name.endswith(".json") and not name.startswith(TEMP_PREFIX):
                if layout(child[len(base) + 1:].split("/")) is None:
                    continue
                try:
                    with open(p, "rb") as f:
                        entry = json.loads(f.read().decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    continue  # a malformed file is reported as skipped, never returned
                if isinstance(entry, dict):
                    yield child, int_keyed(entry)

    yield from rec(base + "/" + sub, min(depth, 5))


def stored_task(entry):
    t = entry.get("_task")
    if isinstance(t, str) and t:
        return t
    n = entry.get("neuron")
    t = n.get("task") if isinstance(n, dict) else None
    return t if isinstance(t, str) and t else None


def same_arch(target, entry, version):
    """Pre-0.4.5 has_same_arch, lenient form (spec §3.2 "Older behaviour"): equal model_type, and equal
    values (Python ==) on every key both configs have; JNEURON CHOICE: more than model_type must be common."""
    stored = {k: v for k, v in entry.items() if k != "neuron"}
    if has_bookkeeping(version):
        for k in ("_entry_class", "_model_id", "_task"):
            stored.pop(k, None)
    if target.get("model_type") != stored.get("model_type"):
        return False
    common = 0
    for k, v in target.items():
        if k in WHITE_LIST or k in COMPARE_IGNORED or k not in stored:
            continue
        common += 1
        if v != stored[k]:
            return False
    return common > 1


def first(d, keys, kind):
    for k in keys:
        v = d.get(k)
        if kind is int and type(v) is int and -2 ** 63 <= v < 2 ** 63:
            return v
        if kind is str and isinstance(v, str):
            return v
    return None


# JNEURON CHOICE (RegistryLookup.dtype): optimum maps both sides to torch dtypes; jneuron's table also accepts
# the bf16/fp16/fp32 spellings that legacy and traced entries store.
DTYPES = {"bf16": "bfloat16", "bfloat16": "bfloat16", "torch.bfloat16": "bfloat16",
          "fp16": "float16", "float16": "float16", "torch.float16": "float16",
          "fp32": "float32", "float32": "float32", "torch.float32": "float32"}


def norm_dtype(d):
    return "" if d is None else DTYPES.get(d, d)


def norm_target(t):
    """JNEURON CHOICE (OptimumCompat.normaliseTarget, §7.5): optimum compares `target` un-normalised, so
    inf2/trn1n never match the trn1 NxD stores; jneuron maps inf2 and trn1n to trn1 on both sides."""
    return {"inf2": "trn1", "trn1n": "trn1"}.get(t, t)


def compiler_parts(folder):
    """neuronxcc-2.21.33363.0+82129205 -> (neuronxcc, 2.21.33363.0+82129205)."""
    m = re.match(r"^([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*)-(\d.*)$", folder)
    return (m.group(1), m.group(2)) if m else (folder, None)


def compiler_type(n, compiler):
    """optimum's compiler_type spelling; NxD entries only have neuronxcc_version."""
    t = first(n, ("compiler_type",), str)
    if t is not None:
        return t
    name = compiler_parts(compiler)[0]
    return "neuronx-cc" if "neuronxcc_version" in n or name == "neuronxcc" else name


SHORT = {"bfloat16": "bf16", "float16": "fp16", "float32": "fp32"}


def auto_cast_type(n):
    """auto_cast_type as optimum's entries spell it (fp32/bf16/fp16): the entry's own, else its dtype so spelled."""
    t = first(n, ("auto_cast_type",), str)
    if t is not None:
        return t
    d = first(n, ("torch_dtype", "dtype", "float_dtype"), str)
    return SHORT.get(norm_dtype(d), d)


def row(path, entry, strategy, compiler, version):
    n = entry.get("neuron") if isinstance(entry.get("neuron"), dict) else {}
    ckpt = first(n, ("checkpoint_id",), str)
    if ckpt is None:
        mid = entry.get("_model_id")
        ckpt = mid if isinstance(mid, str) and mid else None
    name = path.rsplit("/", 1)[1]
    # Row fields (spec §3.2 step 7, plus where the entry is). JNEURON CHOICE: one row per entry, not
    # optimum's de-duplicated (bs, seq, tp, dtype, target) table, so the entry hash and path can be shown;
    # traced entries read static_* / tensor_parallel_size / instance_type instead of raising KeyError.
    return {"batch_size": first(n, ("batch_size", "static_batch_size"), int),
            "sequence_length": first(n, ("sequence_length", "static_sequence_length"), int),
            "tp_degree": first(n, ("tp_degree", "tensor_parallel_size", "num_cores"), int),
            "torch_dtype": first(n, ("torch_dtype", "dtype", "auto_cast_type", "float_dtype"), str),
            "target": first(n, ("target", "instance_type"), str),
            "checkpoint_id": ckpt,
            "checkpoint_revision": first(n, ("checkpoint_revision",), str),
            # Fields optimum's entries record, shown beside its columns (docs/cli.md `cache lookup`).
            "task": stored_task(entry),
            "compiler_type": compiler_type(n, compiler),
            "compiler_version": first(n, ("compiler_version", "neuronxcc_version"), str) or compiler_parts(compiler)[1],
            "auto_cast": (n["auto_cast"] if isinstance(n["auto_cast"], str) else "none") if "auto_cast" in n else None,
            "auto_cast_type": auto_cast_type(n),
            "optlevel": first(n, ("optlevel",), str),
            "entry": name[:-5],
            "source": "local",
            "path": path,
            "strategy": strategy,
            "compiler": compiler,
            "registry_version": version}


def keep(r, q):
    """optimum's filters are equality tests (spec §3.2 step 6)."""
    return ((q.get("batch_size") is None or q["batch_size"] == r["batch_size"])
            and (q.get("sequence_length") is None or q["sequence_length"] == r["sequence_length"])
            and (q.get("tensor_parallel_size") is None or q["tensor_parallel_size"] == r["tp_degree"])
            and (q.get("dtype") is None or norm_dtype(q["dtype"]) == norm_dtype(r["torch_dtype"]))
            and (q.get("instance_type") is None or norm_target(q["instance_type"]) == norm_target(r["target"])))


def sort_key(r):
    # optimum sorts by (tp, batch, seq, dtype); JNEURON CHOICE: missing values last, then the path, so the
    # order is total.
    def k(v):
        return (v is None, v if v is not None else 0)
    return (k(r["tp_degree"]), k(r["batch_size"]), k(r["sequence_length"]),
            (r["torch_dtype"] is None, r["torch_dtype"] or ""), r["path"])


def lookup(root, query):
    task, mt, digest, diff = target_of(query)
    model_id = query.get("model_id")
    folders = registry_folders(root)
    for strategy in STRATEGIES:
        if strategy == "arch-digest":
            subs = [digest] if digest else []
        elif strategy == "alias":
            subs = ([mt + "/" + model_id] + [m + "/" + mt + "/" + model_id for m in LEGACY_MODES]
                    if model_id and mt else [])
        else:
            subs = [mt] + [m + "/" + mt for m in LEGACY_MODES] if mt else []
        found = {}
        for compiler, version in folders:
            for sub in subs:
                for path, entry in walk(root, compiler, version, sub, 1 if strategy == "arch-digest" else 4):
                    seg = path.split("/")[3:]
                    lay = layout(seg)
                    if strategy == "arch-digest":
                        ok = lay == "arch-digest"
                    else:
                        t = stored_task(entry)
                        ok = task is None or t is None or t == task
                        if ok and strategy == "alias":
                            ok = lay != "arch-digest"
                        elif ok:
                            ok = entry.get("_entry_class") != "MultiModelCacheEntry" and same_arch(diff, entry, version)
                    if ok:
                        # An alias and its canonical file are one entry: the first path seen wins.
                        found.setdefault((compiler, version, seg[-1][:-5]), (path, entry, compiler, version))
        if found:
            rows = [row(p, e, strategy, c, v) for p, e, c, v in found.values()]
            return sorted((r for r in rows if keep(r, query)), key=sort_key)
    return []


if __name__ == "__main__":
    with open(sys.argv[2], encoding="utf-8") as f:
        print(json.dumps(lookup(sys.argv[1], json.load(f)), indent=2))
