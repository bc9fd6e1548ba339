#!/usr/bin/python3
"""Independent fp64 reference forward pass for BERT, DistilBERT, RoBERTa and XLM-RoBERTa (numpy only).

Reads a Hugging Face checkpoint folder (config.json + model.safetensors in F32) with its own safetensors
parser and computes, in float64, what transformers' modeling_bert / modeling_distilbert / modeling_roberta
compute in eval mode: embeddings (RoBERTa's position ids from create_position_ids_from_input_ids),
post-LayerNorm layers with an additive attention mask, and the head named by config.architectures[0].

    /usr/bin/python3 reference_encoder.py MODEL_DIR --ids 2,7,9,3 [--ids ...] [--types 0,0,1,1 ...] [--pad N]

Each --ids row is padded to the longest row (or --pad) with pad_token_id and masked. Prints one JSON document:

    {"rows": [{"hidden": [[H floats] per real token], "logits": [...]}]}

logits: [labels] for sequence classification, [[width] per real token] for the per-token heads, absent without a head.
"""

import argparse
import json
import math
import os
import struct

import numpy as np


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} is {info['dtype']}; this reference reads F32")
        a, b = info["data_offsets"]
        out[name] = np.frombuffer(data[a:b], dtype="<f4").astype(np.float64).reshape(info["shape"])
    return out


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


_erf = np.vectorize(math.erf)


def act(name, x):
    if name == "gelu":
        return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))
    if name == "gelu_new":
        return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))
    if name == "relu":
        return np.maximum(x, 0.0)
    raise ValueError(f"activation {name}")


def linear(t, name, x):
    return x @ t[name + ".weight"].T + t[name + ".bias"]


def forward(folder, ids, types, mask):
    cfg = json.load(open(os.path.join(folder, "config.json")))
    t = read_safetensors(os.path.join(folder, "model.safetensors"))
    mt = cfg["model_type"]
    distil = mt == "distilbert"
    roberta = mt in ("roberta", "xlm-roberta")
    arch = (cfg.get("architectures") or [""])[0]
    base = "distilbert." if distil else "roberta." if roberta else "bert."
    p = base if base + "embeddings.word_embeddings.weight" in t else ""
    eps = 1e-12 if distil else cfg.get("layer_norm_eps", 1e-12)
    actname = cfg.get("activation" if distil else "hidden_act", "gelu")
    heads = cfg["n_heads" if distil else "num_attention_heads"]
    n_layers = cfg["n_layers" if distil else "num_hidden_layers"]
    B, L = ids.shape
    if roberta:
        pad = cfg.get("pad_token_id", 1)
        m = (ids != pad).astype(np.int64)
        pos = np.cumsum(m, axis=1) * m + pad
    else:
        pos = np.tile(np.arange(L), (B, 1))
    x = t[p + "embeddings.word_embeddings.weight"][ids] + t[p + "embeddings.position_embeddings.weight"][pos]
    if not distil:
        x = x + t[p + "embeddings.token_type_embeddings.weight"][types]
    x = layer_norm(x, t[p + "embeddings.LayerNorm.weight"], t[p + "embeddings.LayerNorm.bias"], eps)
    H = x.shape[-1]
    d = H // heads
    additive = (1.0 - mask[:, None, None, :]) * np.finfo(np.float64).min
    for i in range(n_layers):
        if distil:
            l = f"{p}transformer.layer.{i}."
            q, k, v = (linear(t, l + "attention." + n, x) for n in ("q_lin", "k_lin", "v_lin"))
        else:
            l = f"{p}encoder.layer.{i}."
            q, k, v = (linear(t, l + "attention.self." + n, x) for n in ("query", "key", "value"))
        split = lambda z: z.reshape(B, L, heads, d).transpose(0, 2, 1, 3)
        s = split(q) @ split(k).transpose(0, 1, 3, 2) / math.sqrt(d) + additive
        s = np.exp(s - s.max(-1, keepdims=True))
        s = s / s.sum(-1, keepdims=True)
        ctx = (s @ split(v)).transpose(0, 2, 1, 3).reshape(B, L, H)
        if distil:
            x = layer_norm(x + linear(t, l + "attention.out_lin", ctx), t[l + "sa_layer_norm.weight"],
                           t[l + "sa_layer_norm.bias"], eps)
            ff = linear(t, l + "ffn.lin2", act(actname, linear(t, l + "ffn.lin1", x)))
            x = layer_norm(x + ff, t[l + "output_layer_norm.weight"], t[l + "output_layer_norm.bias"], eps)
        else:
            x = layer_norm(x + linear(t, l + "attention.output.dense", ctx), t[l + "attention.output.LayerNorm.weight"],
                           t[l + "attention.output.LayerNorm.bias"], eps)
            ff = linear(t, l + "output.dense", act(actname, linear(t, l + "intermediate.dense", x)))
            x = layer_norm(x + ff, t[l + "output.LayerNorm.weight"], t[l + "output.LayerNorm.bias"], eps)
    logits = None
    if arch.endswith("ForSequenceClassification"):
        first = x[:, 0]
        if distil:
            logits = linear(t, "classifier", np.maximum(linear(t, "pre_classifier", first), 0.0))
        elif roberta:
            logits = linear(t, "classifier.out_proj", np.tanh(linear(t, "classifier.dense", first)))
        else:
            logits = linear(t, "classifier", np.tanh(linear(t, "bert.pooler.dense", first)))
    elif arch.endswith("ForTokenClassification"):
        logits = linear(t, "classifier", x)
    elif arch.endswith("ForQuestionAnswering"):
        logits = linear(t, "qa_outputs", x)
    elif arch.endswith("ForMaskedLM"):
        dense, norm, bias = (("vocab_transform", "vocab_layer_norm", "vocab_projector.bias") if distil else
                             ("lm_head.dense", "lm_head.layer_norm", "lm_head.bias") if roberta else
                             ("cls.predictions.transform.dense", "cls.predictions.transform.LayerNorm",
                              "cls.predictions.bias"))
        z = layer_norm(act(actname, linear(t, dense, x)), t[norm + ".weight"], t[norm + ".bias"], eps)
        logits = z @ t[p + "embeddings.word_embeddings.weight"].T + t[bias]
    return x, logits, arch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--ids", action="append", required=True)
    ap.add_argument("--types", action="append")
    ap.add_argument("--pad", type=int, default=0)
    a = ap.parse_args()
    cfg = json.load(open(os.path.join(a.model, "config.json")))
    pad_id = cfg.get("pad_token_id", 0)
    rows = [[int(v) for v in r.split(",")] for r in a.ids]
    trows = [[int(v) for v in r.split(",")] for r in a.types] if a.types else [[0] * len(r) for r in rows]
    L = max(a.pad, max(len(r) for r in rows))
    ids = np.full((len(rows), L), pad_id, dtype=np.int64)
    types = np.zeros((len(rows), L), dtype=np.int64)
    mask = np.zeros((len(rows), L), dtype=np.float64)
    for i, (r, tr) in enumerate(zip(rows, trows)):
        ids[i, :len(r)] = r
        types[i, :len(r)] = tr
        mask[i, :len(r)] = 1
    x, logits, arch = forward(a.model, ids, types, mask)
    out = []
    for i, r in enumerate(rows):
        row = {"hidden": x[i, :len(r)].tolist()}
        if logits is not None:
            row["logits"] = logits[i].tolist() if arch.endswith("ForSequenceClassification") \
                else logits[i, :len(r)].tolist()
        out.append(row)
    print(json.dumps({"rows": out}))


if __name__ == "__main__":
    main()
