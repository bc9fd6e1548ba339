#!/usr/bin/python3
"""Writes the Python-side goldens for io.jneuron.core.cache tests.

Run with Debian's interpreter (stdlib only), from anywhere:

    /usr/bin/python3 core/src/test/python/make_goldens.py

It rewrites core/src/test/resources/golden/{pyjson,registry,lookup}/ deterministically (fixed seeds), so a
re-run on the same CPython minor version produces identical files. Everything here reproduces what
optimum-neuron does with the stdlib (the optimum-neuron cache spec, §2.3-2.6):
entries are json.dumps(indent=2, sort_keys=True) hashed with sha512[:20]; arch digests are
sha256(json.dumps({"model_type", "task", "config"}, sort_keys=True)); older recipes use
json.dumps(d, sort_keys=True) and json.dumps(d). transformers holds id2label keys as ints, so the
configs below convert them before dumping, exactly as PretrainedConfig does on load.
"""
import hashlib
import json
import math
import os
import random
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.normpath(os.path.join(HERE, "..", "resources", "golden"))

# optimum-neuron's CACHE_WHITE_LIST (current) and the legacy (<= v0.1.x) one.
WHITE_LIST = ["_name_or_path", "transformers_version", "_diffusers_version", "eos_token_id", "bos_token_id",
              "pad_token_id", "torchscript", "torch_dtype", "_commit_hash", "sample_size", "projection_dim",
              "_use_default_values", "_attn_implementation_autoset", "return_dict"]
LEGACY_WHITE_LIST = ["_name_or_path", "transformers_version"]


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="ascii", newline="") as f:
        f.write(text)


# ---------------------------------------------------------------- floats

def float_cases(rng):
    vals = [0.0, -0.0, 5e-324, -5e-324, sys.float_info.max, sys.float_info.min, 1e-05, 0.0001, 500000.0,
            1e16, 1e15, 1e22, 1e23, 9007199254740993.0, 2.82879384806159e17, 1.2345678901234567e19, 0.1, 0.2,
            0.3, 1 / 3, 2 / 3, math.pi, math.e, 100.0, 1.5, 123456789.123456789, 2.2250738585072014e-308,
            2.225073858507201e-308, 4.9406564584124654e-324, 1.7976931348623157e308]
    vals += [2.0 ** e for e in range(-1074, 1024)]
    vals += [float("1e%d" % e) for e in range(-323, 309)]
    vals += [float("%de%d" % (m, e)) for m in (2, 3, 5, 7, 9, 25, 99, 123) for e in range(-30, 30)]
    for _ in range(3000):  # random bit patterns: every exponent, every mantissa shape
        bits = rng.getrandbits(64)
        v = struct.unpack("<d", struct.pack("<Q", bits))[0]
        if math.isfinite(v):
            vals.append(v)
    for _ in range(1500):  # short decimals as people write them in configs
        vals.append(float("%d.%de%d" % (rng.randint(0, 999), rng.randint(0, 9999), rng.randint(-12, 20))))
    for _ in range(1000):
        vals.append(rng.random() * 10 ** rng.randint(-8, 8))
    lines = []
    for v in vals:
        bits = struct.unpack("<Q", struct.pack("<d", v))[0]
        lines.append("%016x %s\n" % (bits, repr(v)))
    write(os.path.join(GOLDEN, "pyjson", "floats.txt"), "".join(lines))


# ---------------------------------------------------------------- random values

ALPHABET = ["a", "b", "Z", "_", "0", "9", " ", "\"", "\\", "/", "\n", "\t", "\b", "\f", "\r", "\x00", "\x1f",
            "\x7f", "\u00e9", "\u00ff", "\u0100", "\u4e2d", "\uffff", "\ue000", "\U0001F600", "\U00010000",
            "\U0010FFFF"]


def rand_str(rng):
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 6)))


def rand_value(rng, depth):
    kind = rng.randint(0, 9 if depth < 4 else 6)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, -1, 1, 2 ** 31, -2 ** 63, 2 ** 63, 10 ** 30, -(10 ** 25), rng.randint(-10 ** 6, 10 ** 6)])
    if kind == 3:
        return rng.choice([0.0, -0.0, 1e-05, 500000.0, 1e16, float("inf"), float("-inf"), float("nan"),
                           rng.random(), rng.uniform(-1e20, 1e20), rng.random() * 1e-9])
    if kind in (4, 5, 6):
        return rand_str(rng)
    if kind in (7, 8):
        return [rand_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rand_str(rng): rand_value(rng, depth + 1) for _ in range(rng.randint(0, 5))}


def value_cases(rng):
    lines = []
    for _ in range(400):
        v = rand_value(rng, 0)
        forms = [json.dumps(v), json.dumps(v, sort_keys=True), json.dumps(v, indent=2, sort_keys=True)]
        lines.append(json.dumps(forms) + "\n")
    write(os.path.join(GOLDEN, "pyjson", "values.jsonl"), "".join(lines))


# ---------------------------------------------------------------- registry entries

def transformers_view(cfg):
    """What PretrainedConfig holds after loading config.json: int id2label keys, at any depth."""
    if isinstance(cfg, dict):
        out = {}
        for k, v in cfg.items():
            if k == "id2label" and isinstance(v, dict) and all(s.lstrip("-").isdigit() for s in v):
                out[k] = {int(s): x for s, x in v.items()}
            else:
                out[k] = transformers_view(v)
        return out
    if isinstance(cfg, list):
        return [transformers_view(x) for x in cfg]
    return cfg


def entry_current(config_json, neuron, model_id, task):
    cfg = {k: v for k, v in transformers_view(config_json).items() if k not in WHITE_LIST}
    d = dict(cfg)
    d["neuron"] = neuron
    d["_entry_class"] = "SingleModelCacheEntry"
    d["_model_id"] = model_id
    d["_task"] = task
    text = json.dumps(d, indent=2, sort_keys=True)
    digest = hashlib.sha256(json.dumps({"model_type": cfg["model_type"], "task": task, "config": cfg},
                                       sort_keys=True).encode("utf-8")).hexdigest()
    return text, hashlib.sha512(text.encode("utf-8")).hexdigest()[:20], digest


def entry_legacy(config_json, neuron, sort_keys):
    d = {k: v for k, v in transformers_view(config_json).items() if k not in LEGACY_WHITE_LIST}
    d["neuron"] = neuron
    text = json.dumps(d, sort_keys=True) if sort_keys else json.dumps(d)
    return text, hashlib.sha512(text.encode("utf-8")).hexdigest()[:20], None


REV = "0123456789abcdef0123456789abcdef01234567"
LLAMA_CONFIG = {"architectures": ["LlamaForCausalLM"], "hidden_size": 16, "intermediate_size": 64,
                "model_type": "llama", "num_attention_heads": 4, "num_hidden_layers": 2,
                "num_key_value_heads": 4, "rms_norm_eps": 1e-05, "rope_theta": 500000.0,
                "tie_word_embeddings": False, "vocab_size": 128256}
# The same model as its config.json on disk: whitelisted keys present, in save_pretrained's order.
LLAMA_CONFIG_JSON = dict(LLAMA_CONFIG, _name_or_path="llamafactory/tiny-random-Llama-3", bos_token_id=128000,
                         eos_token_id=128001, torch_dtype="bfloat16", transformers_version="4.57.1")


def nxd_neuron(batch, seq, tp, dtype="bfloat16", target="trn1", checkpoint="llamafactory/tiny-random-Llama-3"):
    # The worked example's 26 keys (spec §2.6 reproduces with exactly these values).
    return {"_serialized_key": "NxDNeuronConfig", "optimum_neuron_version": "0.4.6.dev4",
            "neuronxcc_version": "2.21.33363.0+82129205", "checkpoint_id": checkpoint, "checkpoint_revision": REV,
            "batch_size": batch, "max_batch_size": batch, "continuous_batching": batch > 1,
            "sequence_length": seq, "max_context_length": seq, "n_active_tokens": seq, "tp_degree": tp,
            "pp_degree": 1, "ep_degree": 1, "torch_dtype": dtype, "target": target, "on_device_sampling": True,
            "max_topk": 256, "fused_qkv": True, "output_logits": False, "prefill_chunk_size": 0,
            "speculation_length": 0, "start_rank_id": 0, "local_ranks_size": tp, "capacity_factor": None,
            "glu_mlp": True}


def legacy_neuron(batch, seq, cores, compiler_version):
    return {"task": "text-generation", "batch_size": batch, "num_cores": cores, "auto_cast_type": "bf16",
            "sequence_length": seq, "compiler_type": "neuronx-cc", "compiler_version": compiler_version,
            "checkpoint_id": "llamafactory/tiny-random-Llama-3", "checkpoint_revision": REV}


BERT_CONFIG_JSON = {
    "_name_or_path": "hf-internal-testing/tiny-random-BertForSequenceClassification",
    "architectures": ["BertForSequenceClassification"], "attention_probs_dropout_prob": 0.1,
    "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "hidden_size": 32,
    "id2label": {str(i): "LABEL_%d" % i for i in range(12)},
    "label2id": {"LABEL_%d" % i: i for i in range(12)},
    "initializer_range": 0.02, "intermediate_size": 37, "layer_norm_eps": 1e-12, "max_position_embeddings": 512,
    "model_type": "bert", "num_attention_heads": 4, "num_hidden_layers": 5, "pad_token_id": 0,
    "torch_dtype": "float32", "transformers_version": "4.57.1", "type_vocab_size": 16, "vocab_size": 1124}

BERT_NEURON = {"auto_cast": None, "auto_cast_type": None, "compiler_type": "neuronx-cc",
               "compiler_version": "2.21.33363.0+82129205", "dynamic_batch_size": False, "float_dtype": "fp32",
               "inline_weights_to_neff": True, "instance_type": "trn1", "int_dtype": "int64",
               "model_type": "bert", "optlevel": "2", "output_attentions": False, "output_hidden_states": False,
               "static_batch_size": 1, "static_sequence_length": 128, "task": "text-classification",
               "tensor_parallel_size": 1}

UNICODE_CONFIG_JSON = dict(LLAMA_CONFIG, architectures=["LlamaForCausalLM"], model_type="llama",
                           custom_note="caf\u00e9 \u4e2d\u6587 \U0001F600 \"q\" \\ /\t\n",
                           ratios=[0.1, 1e-07, 1e16, 123456789012345678.0, -0.0, 2.5],
                           big=12345678901234567890123, nested={"b": {}, "a": [], "_z": {"Z": 1, "a": 2}})


def registry_cases():
    cases = []

    def add(name, recipe, text, h, digest, **inputs):
        write(os.path.join(GOLDEN, "registry", "entries", name + ".json"), text)
        cases.append(dict(name=name, recipe=recipe, file="entries/%s.json" % name, hash=h, arch_digest=digest,
                          bytes=len(text), **inputs))

    worked = entry_current(LLAMA_CONFIG_JSON, nxd_neuron(2, 512, 2), "llamafactory/tiny-random-Llama-3",
                           "text-generation")
    assert worked[1] == "a4c4264c36821c82951d", worked[1]
    assert worked[2] == "b6044fb704e3fcc9e20e960f055dac44a44e9a6fd42926649b83378883e430c7", worked[2]
    assert len(worked[0]) == 1261
    add("worked-example", "v0.2", *worked, config=LLAMA_CONFIG_JSON, neuron=nxd_neuron(2, 512, 2),
        model_id="llamafactory/tiny-random-Llama-3", task="text-generation")
    n = nxd_neuron(1, 128, 1, dtype="float32")
    add("llama-bs1", "v0.2", *entry_current(LLAMA_CONFIG_JSON, n, "llamafactory/tiny-random-Llama-3",
                                              "text-generation"),
        config=LLAMA_CONFIG_JSON, neuron=n, model_id="llamafactory/tiny-random-Llama-3", task="text-generation")
    add("bert-id2label", "v0.2", *entry_current(BERT_CONFIG_JSON, BERT_NEURON,
                                                 "hf-internal-testing/tiny-random-BertForSequenceClassification",
                                                 "text-classification"),
        config=BERT_CONFIG_JSON, neuron=BERT_NEURON,
        model_id="hf-internal-testing/tiny-random-BertForSequenceClassification", task="text-classification")
    n = nxd_neuron(4, 1024, 8, checkpoint="org/caf\u00e9")
    add("unicode-floats", "v0.2", *entry_current(UNICODE_CONFIG_JSON, n, "org/cafe", "text-generation"),
        config=UNICODE_CONFIG_JSON, neuron=n, model_id="org/cafe", task="text-generation")
    n = legacy_neuron(1, 2048, 2, "2.15.141.0+d3cfc8ca")
    add("legacy-sorted", "v0.0.21", *entry_legacy(LLAMA_CONFIG_JSON, n, True), config=LLAMA_CONFIG_JSON,
        neuron=n, model_id=None, task=None)
    n = legacy_neuron(2, 1024, 2, "2.12.68.0+4480452af")
    add("legacy-unsorted", "v0.0.18", *entry_legacy(LLAMA_CONFIG_JSON, n, False), config=LLAMA_CONFIG_JSON,
        neuron=n, model_id=None, task=None)
    write(os.path.join(GOLDEN, "registry", "cases.json"), json.dumps(cases, indent=2) + "\n")
    return cases


def cache_fixture(cases):
    """A local compile cache as optimum-neuron of several versions would leave it (aliases as plain copies)."""
    root = os.path.join(GOLDEN, "registry", "cache")
    shutil.rmtree(root, ignore_errors=True)
    by_name = {c["name"]: c for c in cases}

    def put(rel, case):
        with open(os.path.join(GOLDEN, "registry", case["file"]), encoding="ascii") as f:
            write(os.path.join(root, rel), f.read())

    cur = "neuronxcc-2.21.33363.0+82129205/0_REGISTRY/"
    for name in ("worked-example", "llama-bs1"):
        c = by_name[name]
        put(cur + "0.4.5/%s/%s.json" % (c["arch_digest"], c["hash"]), c)
        put(cur + "0.4.5/llama/llamafactory/tiny-random-Llama-3/%s.json" % c["hash"], c)
    c = by_name["bert-id2label"]
    put(cur + "0.4.5/%s/%s.json" % (c["arch_digest"], c["hash"]), c)
    put(cur + "0.4.5/bert/hf-internal-testing/tiny-random-BertForSequenceClassification/%s.json" % c["hash"], c)
    c = by_name["unicode-floats"]
    put(cur + "0.3.0/llama/org/cafe/%s.json" % c["hash"], c)
    c = by_name["legacy-sorted"]
    put("neuronxcc-2.15.141.0+d3cfc8ca/0_REGISTRY/0.0.25/inference/llama/llamafactory/tiny-random-Llama-3/%s.json"
        % c["hash"], c)
    c = by_name["legacy-unsorted"]
    put("neuronxcc-2.12.68.0+4480452af/0_REGISTRY/0.0.18/llama/llamafactory/tiny-random-Llama-3/%s.json"
        % c["hash"], c)
    # The model as a Hub download would leave it in $HF_HOME/hub.
    snap = "hf-home/hub/models--llamafactory--tiny-random-Llama-3/"
    write(os.path.join(GOLDEN, "registry", snap + "refs/main"), REV)
    write(os.path.join(GOLDEN, "registry", snap + "snapshots/%s/config.json" % REV),
          json.dumps(LLAMA_CONFIG_JSON, indent=2) + "\n")


def main():
    if not sys.executable.startswith("/usr/bin/"):
        print("warning: run with Debian's /usr/bin/python3, not %s" % sys.executable, file=sys.stderr)
    float_cases(random.Random(20260901))
    value_cases(random.Random(7))
    cache_fixture(registry_cases())
    # Flags hashes as libneuronxla names MODULE folders (spec §1.3).
    flags = {"flags": [], "hashes": []}
    for fl in (["--model-type=transformer", "--auto-cast=none", "--execute-repetition=1"], [],
               ["--auto-cast", "none", "--optlevel", "2", "--target", "trn1", "--model-type", "transformer"]):
        text = json.dumps(fl)
        flags["hashes"].append({"flags": fl, "json": text, "md5_8": hashlib.md5(text.encode()).hexdigest()[:8]})
    write(os.path.join(GOLDEN, "registry", "flags.json"), json.dumps(flags["hashes"], indent=2) + "\n")
    # The lookup fixture and lookup_oracle.py's answers (golden/lookup/).
    import make_lookup_goldens
    make_lookup_goldens.main()


if __name__ == "__main__":
    main()
