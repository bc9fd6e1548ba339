#!/usr/bin/python3
"""Writes the lookup goldens: a local cache fixture and lookup_oracle's answer for every filter combination.

    /usr/bin/python3 core/src/test/python/make_lookup_goldens.py      (also run by make_goldens.py)

Output (deterministic): core/src/test/resources/golden/lookup/cache/ (the fixture) and
core/src/test/resources/golden/lookup/answers.json = {"configs": {name: config.json}, "rows": [row], "columns", "queries": [[name,
model_id, task, batch_size, sequence_length, tensor_parallel_size, dtype, instance_type, [row index...]]]}.
The fixture holds several models (llama twice with the same architecture, mistral, bert for two tasks), several
compiler folders (current and old neuronxcc, jneuron-cpu, plus folders that are no compile cache), and the
registry layouts of v0.4.5 (digest + alias), v0.2.0-v0.4.4, v0.0.19-v0.1.x (inference/) and v0.0.18.
"""
import itertools
import json
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lookup_oracle  # noqa: E402
from make_goldens import (GOLDEN, LLAMA_CONFIG, LLAMA_CONFIG_JSON, BERT_CONFIG_JSON, BERT_NEURON,  # noqa: E402
                          entry_current, entry_legacy, legacy_neuron, nxd_neuron, write)

OUT = os.path.join(GOLDEN, "lookup")
ROOT = os.path.join(OUT, "cache")
CUR = "neuronxcc-2.21.33363.0+82129205"
OLD = "neuronxcc-2.19.8089.0+8ab9f450"
CPU = "jneuron-cpu-0.1.0"
LLAMA = "llamafactory/tiny-random-Llama-3"
FINETUNE = "someone/llama-finetune"
MISTRAL = "org/tiny-mistral"
BERT = "hf-internal-testing/tiny-random-BertForSequenceClassification"
MISTRAL_CONFIG_JSON = {"architectures": ["MistralForCausalLM"], "hidden_size": 32, "intermediate_size": 64,
                       "model_type": "mistral", "num_attention_heads": 4, "num_hidden_layers": 2,
                       "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "sliding_window": 4096,
                       "torch_dtype": "bfloat16", "transformers_version": "4.57.1", "vocab_size": 32000}


def nxd(batch, seq, tp, dtype="bfloat16", target="trn1", checkpoint=LLAMA, compiler="2.21.33363.0+82129205",
        onv="0.4.5"):
    return dict(nxd_neuron(batch, seq, tp, dtype, target, checkpoint), neuronxcc_version=compiler,
                optimum_neuron_version=onv)


def current(compiler, onv, config, neuron, model_id, task, alias=True):
    """v0.4.5+: canonical file under the digest, alias (here a plain copy, as on the Hub) under the model id."""
    text, h, digest = entry_current(config, neuron, model_id, task)
    base = "%s/0_REGISTRY/%s/" % (compiler, onv)
    write(os.path.join(ROOT, base + "%s/%s.json" % (digest, h)), text)
    if alias:
        write(os.path.join(ROOT, base + "%s/%s/%s.json" % (config["model_type"], model_id, h)), text)


def by_model_id(compiler, onv, config, neuron, model_id, task, mode=None):
    """v0.2.0-v0.4.4 (no mode) and, with the legacy recipes, v0.0.18-v0.1.x."""
    if onv.startswith("0.0."):
        text, h, _ = entry_legacy(config, neuron, sort_keys=mode is not None)
    else:
        text, h, _ = entry_current(config, neuron, model_id, task)
    rel = "%s/0_REGISTRY/%s/%s%s/%s/%s.json" % (compiler, onv, mode + "/" if mode else "", config["model_type"],
                                               model_id, h)
    write(os.path.join(ROOT, rel), text)


def build_fixture():
    shutil.rmtree(ROOT, ignore_errors=True)
    tg = "text-generation"
    # llama, current compiler, current registry: three configurations; the 3rd has no alias (optimum's quirk).
    current(CUR, "0.4.5", LLAMA_CONFIG_JSON, nxd(2, 512, 2), LLAMA, tg)
    current(CUR, "0.4.5", LLAMA_CONFIG_JSON, nxd(1, 128, 1, dtype="float32"), LLAMA, tg)
    current(CUR, "0.4.5", LLAMA_CONFIG_JSON, nxd(4, 1024, 8, dtype="float16", target="trn2"), LLAMA, tg, alias=False)
    # Another checkpoint with the same architecture: same digest folder, its own alias.
    current(CUR, "0.4.5", LLAMA_CONFIG_JSON, nxd(8, 256, 2, checkpoint=FINETUNE), FINETUNE, tg)
    # The same configuration under the old compiler (ties on tp/bs/seq/dtype, ordered by path) and a newer onv.
    current(OLD, "0.4.5", LLAMA_CONFIG_JSON, nxd(2, 512, 2, compiler="2.19.8089.0+8ab9f450"), LLAMA, tg)
    current(OLD, "0.4.6.dev4", LLAMA_CONFIG_JSON, nxd(2, 512, 2, target="trn2", onv="0.4.6.dev4"), LLAMA, tg)
    # jneuron's CPU backend folder.
    current(CPU, "0.4.5", LLAMA_CONFIG_JSON, nxd(1, 128, 1, dtype="float32", compiler="0.1.0"), LLAMA, tg)
    # v0.2.0-v0.4.4 layout, with a key the newer config lacks (the lenient comparison still agrees).
    older = dict(LLAMA_CONFIG_JSON, rope_scaling=None)
    by_model_id(CUR, "0.3.0", older, nxd(2, 512, 2, onv="0.3.0"), LLAMA, tg)
    # v0.0.19-v0.1.x (inference/, sorted legacy recipe) and v0.0.18 (unsorted) under the old compiler.
    by_model_id(OLD, "0.0.25", LLAMA_CONFIG_JSON, legacy_neuron(1, 2048, 2, "2.19.8089.0+8ab9f450"), LLAMA, tg,
                mode="inference")
    by_model_id(OLD, "0.0.18", LLAMA_CONFIG_JSON, legacy_neuron(2, 1024, 2, "2.19.8089.0+8ab9f450"), LLAMA, tg)
    # mistral: old compiler and CPU folder only.
    current(OLD, "0.4.5", MISTRAL_CONFIG_JSON, nxd(1, 4096, 2, checkpoint=MISTRAL, compiler="2.19.8089.0+8ab9f450"),
            MISTRAL, tg)
    current(CPU, "0.4.5", MISTRAL_CONFIG_JSON, nxd(4, 4096, 1, dtype="float16", checkpoint=MISTRAL,
                                                   compiler="0.1.0"), MISTRAL, tg)
    # bert (traced: static_* keys, instance_type, float_dtype/auto_cast_type), for two tasks.
    current(CUR, "0.4.5", BERT_CONFIG_JSON, BERT_NEURON, BERT, "text-classification")
    current(CUR, "0.4.5", BERT_CONFIG_JSON, dict(BERT_NEURON, static_batch_size=4, static_sequence_length=64,
                                                 auto_cast="matmul", auto_cast_type="bf16", instance_type="inf2"),
            BERT, "text-classification")
    current(CUR, "0.4.5", BERT_CONFIG_JSON, dict(BERT_NEURON, task="feature-extraction", tensor_parallel_size=2),
            BERT, "feature-extraction")
    # Things that are not entries: a malformed file, a half-written temp file, a folder that is no compile
    # cache (no prefix) and one whose name is not <name>-<version>.
    a = "%s/0_REGISTRY/0.4.5/llama/%s/" % (CUR, LLAMA)
    write(os.path.join(ROOT, a + "0badc0ffee0badc0ffee.json"), '{"model_type": ')
    write(os.path.join(ROOT, a + ".jneuron-tmp-1234.json"), entry_current(LLAMA_CONFIG_JSON, nxd(16, 64, 4), LLAMA,
                                                                          tg)[0])
    for junk in ("other-2.21.0/0_REGISTRY/0.4.5", "neuronxcc-current/0_REGISTRY/0.4.5"):
        src = "%s/0_REGISTRY/0.4.5/llama/%s" % (CUR, LLAMA)
        shutil.copytree(os.path.join(ROOT, src), os.path.join(ROOT, junk, "llama", LLAMA))


def queries():
    """(name, model_id, config, tasks, values per numeric filter) for each model looked up."""
    changed = dict(LLAMA_CONFIG_JSON, rope_theta=10000.0)  # another digest: only aliases can find it
    fine = dict(LLAMA_CONFIG_JSON, attention_bias=False)  # another digest, common keys agree: config strategy
    vlm = {"architectures": ["LlavaForConditionalGeneration"], "model_type": "llava",
           "text_config": dict(LLAMA_CONFIG), "transformers_version": "4.57.1"}
    gpt2 = {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "n_embd": 8}
    llama_vals = dict(batch_size=(2, 3), sequence_length=(512, 777), tensor_parallel_size=(2, 3))
    return [
        ("llama-digest", LLAMA, LLAMA_CONFIG_JSON, ("text-generation", "feature-extraction"), llama_vals),
        ("llama-same-arch-other-id", FINETUNE, LLAMA_CONFIG_JSON, ("text-generation", "text-classification"),
         dict(batch_size=(8, 3), sequence_length=(256, 777), tensor_parallel_size=(2, 3))),
        ("llama-alias", LLAMA, changed, ("text-generation", "feature-extraction"),
         dict(batch_size=(1, 3), sequence_length=(2048, 777), tensor_parallel_size=(2, 3))),
        ("llama-config", "unknown/llama", fine, ("text-generation", "feature-extraction"), llama_vals),
        ("llava-text-config", "org/llava", vlm, ("text-generation", "image-text-to-text"), llama_vals),
        ("mistral", MISTRAL, MISTRAL_CONFIG_JSON, ("text-generation", "feature-extraction"),
         dict(batch_size=(4, 3), sequence_length=(4096, 777), tensor_parallel_size=(1, 3))),
        ("bert", BERT, BERT_CONFIG_JSON, ("text-classification", "feature-extraction"),
         dict(batch_size=(4, 3), sequence_length=(64, 777), tensor_parallel_size=(1, 2))),
        ("gpt2-miss", "openai-community/gpt2", gpt2, ("text-generation",),
         dict(batch_size=(1,), sequence_length=(128,), tensor_parallel_size=(1,))),
    ]


DTYPES = (None, "bfloat16", "bf16", "float16", "fp32")
INSTANCES = (None, "trn1", "inf2", "trn1n", "trn2")


def main():
    build_fixture()
    rows, out = {}, []
    for name, model_id, config, tasks, vals in queries():
        for task, bs, seq, tp, dtype, inst in itertools.product(
                (None,) + tasks, (None,) + vals["batch_size"], (None,) + vals["sequence_length"],
                (None,) + vals["tensor_parallel_size"], DTYPES, INSTANCES):
            q = {"model_id": model_id, "config": config, "task": task, "batch_size": bs, "sequence_length": seq,
                 "tensor_parallel_size": tp, "dtype": dtype, "instance_type": inst}
            ids = []
            for r in lookup_oracle.lookup(ROOT, q):
                rid = "%s|%s" % (r["strategy"], r["path"])
                assert rows.setdefault(rid, r) == r, rid
                ids.append(rid)
            out.append([name, model_id, task, bs, seq, tp, dtype, inst, ids])
    order = sorted(rows)
    index = {rid: i for i, rid in enumerate(order)}
    for q in out:
        q[-1] = [index[rid] for rid in q[-1]]
    configs = {name: config for name, _, config, _, _ in queries()}
    # One query per line keeps the file small and its diffs readable; "expected" holds indexes into "rows".
    text = ('{\n"configs": %s,\n"rows": %s,\n"columns": %s,\n"queries": [\n%s\n]}\n'
            % (json.dumps(configs, indent=1, sort_keys=True), json.dumps([rows[r] for r in order], indent=1),
               json.dumps(COLUMNS), ",\n".join(json.dumps(q) for q in out)))
    json.loads(text)
    write(os.path.join(OUT, "answers.json"), text)
    hits = sum(1 for q in out if q[-1])
    print("lookup goldens: %d queries (%d with rows), %d distinct rows" % (len(out), hits, len(rows)))


COLUMNS = ["name", "model_id", "task", "batch_size", "sequence_length", "tensor_parallel_size", "dtype",
           "instance_type", "expected"]


if __name__ == "__main__":
    main()
