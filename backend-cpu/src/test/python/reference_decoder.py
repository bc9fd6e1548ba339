#!/usr/bin/python3
"""Independent fp64 reference forward pass for GPT-2, Llama and (reference_families.py) the other decoders (numpy only).

Reads a Hugging Face checkpoint folder (config.json plus model.safetensors, or a sharded
model.safetensors.index.json) with its own safetensors parser, computes every forward pass in
float64 following the Hugging Face transformers semantics, and greedily decodes.

    /usr/bin/python3 reference_decoder.py MODEL_DIR --prompt-ids 1,2,3 [--prompt-ids 4,5 ...] \
        --max-new-tokens N

prints one JSON document on stdout:

    {"rows": [{"prompt_ids": [...], "generated_ids": [N ids],
               "logits": [[vocab floats, step 0], ..., [step N-1]]}]}

Step 0 is the logits at the last prompt position; generated_ids[0] is its argmax; step k is the
logits at the last position of prompt + generated_ids[:k]. Each step recomputes the whole sequence
(no KV cache): slow but simple, which is the point of a reference.
"""

import argparse
import json
import math
import os
import sys

import numpy as np

# ----------------------------------------------------------------------------------------------
# safetensors
# ----------------------------------------------------------------------------------------------

# dtype name -> (numpy dtype of the stored bytes, bytes per element)
_ST_DTYPES = {
    "F64": ("<f8", 8),
    "F32": ("<f4", 4),
    "F16": ("<f2", 2),
    "BF16": ("<u2", 2),
    "I64": ("<i8", 8),
    "I32": ("<i4", 4),
    "I16": ("<i2", 2),
    "I8": ("i1", 1),
    "U8": ("u1", 1),
    "BOOL": ("u1", 1),
}

_MAX_HEADER = 100 * 1024 * 1024


class CheckpointError(ValueError):
    """A checkpoint folder or file that cannot be read; the message names the file and value."""


def bf16_bits_to_float32(bits):
    """uint16 bfloat16 bit patterns -> float32 (the bits are the top half of a float32)."""
    bits = np.asarray(bits, dtype=np.uint16)
    return (bits.astype(np.uint32) << 16).view(np.float32)


def read_safetensors_header(path):
    """Returns (header dict without __metadata__, metadata dict, absolute data start offset)."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        raw = f.read(8)
        if len(raw) != 8:
            raise CheckpointError(f"{path}: file too short for a safetensors header ({size} bytes)")
        n = int.from_bytes(raw, "little")
        if n <= 0 or n > _MAX_HEADER or 8 + n > size:
            raise CheckpointError(f"{path}: header length {n} does not fit in a {size}-byte file")
        text = f.read(n)
    try:
        header = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise CheckpointError(f"{path}: header is not valid JSON ({e})") from None
    if not isinstance(header, dict):
        raise CheckpointError(f"{path}: header is not a JSON object")
    metadata = header.pop("__metadata__", None) or {}
    data_start = 8 + n
    data_len = size - data_start
    for name, info in header.items():
        if not isinstance(info, dict) or "dtype" not in info or "shape" not in info \
                or "data_offsets" not in info:
            raise CheckpointError(f"{path}: tensor {name!r} lacks dtype/shape/data_offsets")
        if info["dtype"] not in _ST_DTYPES:
            raise CheckpointError(f"{path}: tensor {name!r} has unsupported dtype {info['dtype']!r}")
        begin, end = info["data_offsets"]
        count = 1
        for d in info["shape"]:
            if not isinstance(d, int) or d < 0:
                raise CheckpointError(f"{path}: tensor {name!r} has bad shape {info['shape']}")
            count *= d
        itemsize = _ST_DTYPES[info["dtype"]][1]
        if not (0 <= begin <= end <= data_len) or end - begin != count * itemsize:
            raise CheckpointError(
                f"{path}: tensor {name!r} data_offsets {[begin, end]} do not match shape "
                f"{info['shape']} x {itemsize} bytes within {data_len} data bytes")
    return header, metadata, data_start


def read_safetensors(path, names=None):
    """Reads tensors of a .safetensors file as numpy arrays; floats become float64."""
    header, _, data_start = read_safetensors_header(path)
    mm = np.memmap(path, dtype=np.uint8, mode="r")
    out = {}
    for name, info in header.items():
        if names is not None and name not in names:
            continue
        begin, end = info["data_offsets"]
        np_dtype, _ = _ST_DTYPES[info["dtype"]]
        raw = np.array(mm[data_start + begin:data_start + end])  # copy: aligned, file closable
        arr = raw.view(np_dtype).reshape(info["shape"])
        if info["dtype"] == "BF16":
            arr = bf16_bits_to_float32(arr).astype(np.float64)
        elif info["dtype"] in ("F64", "F32", "F16"):
            arr = arr.astype(np.float64)
        elif info["dtype"] == "BOOL":
            arr = arr.astype(bool)
        out[name] = arr
    del mm
    return out


def load_state_dict(model_dir):
    """All tensors of a checkpoint folder (single file or sharded index), floats as float64."""
    single = os.path.join(model_dir, "model.safetensors")
    index = os.path.join(model_dir, "model.safetensors.index.json")
    if os.path.isfile(single):
        return read_safetensors(single)
    if os.path.isfile(index):
        with open(index, "r", encoding="utf-8") as f:
            try:
                idx = json.load(f)
            except ValueError as e:
                raise CheckpointError(f"{index}: not valid JSON ({e})") from None
        weight_map = idx.get("weight_map") if isinstance(idx, dict) else None
        if not isinstance(weight_map, dict) or not weight_map:
            raise CheckpointError(f"{index}: missing or empty weight_map")
        by_file = {}
        for name, fname in weight_map.items():
            if not isinstance(fname, str) or os.path.basename(fname) != fname \
                    or fname in ("", ".", ".."):
                raise CheckpointError(f"{index}: shard file name {fname!r} for {name!r} is not a "
                                      "plain file name in the checkpoint folder")
            by_file.setdefault(fname, set()).add(name)
        tensors = {}
        for fname in sorted(by_file):
            path = os.path.join(model_dir, fname)
            if not os.path.isfile(path):
                raise CheckpointError(f"{index}: shard {fname} is missing from {model_dir}")
            part = read_safetensors(path, names=by_file[fname])
            missing = by_file[fname] - set(part)
            if missing:
                raise CheckpointError(f"{path}: tensors {sorted(missing)[:5]} listed in the index "
                                      "are not in the shard")
            tensors.update(part)
        return tensors
    raise CheckpointError(f"{model_dir}: neither model.safetensors nor "
                          "model.safetensors.index.json is present")


def load_config(model_dir):
    path = os.path.join(model_dir, "config.json")
    if not os.path.isfile(path):
        raise CheckpointError(f"{model_dir}: config.json is missing")
    with open(path, "r", encoding="utf-8") as f:
        try:
            cfg = json.load(f)
        except ValueError as e:
            raise CheckpointError(f"{path}: not valid JSON ({e})") from None
    if not isinstance(cfg, dict):
        raise CheckpointError(f"{path}: not a JSON object")
    return cfg


# ----------------------------------------------------------------------------------------------
# building blocks (all float64)
# ----------------------------------------------------------------------------------------------

def layer_norm(x, weight, bias, eps):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)  # biased variance, as torch
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def rms_norm(x, weight, eps):
    return x / np.sqrt((x * x).mean(axis=-1, keepdims=True) + eps) * weight


def gelu_tanh(x):
    """gelu_new / gelu_pytorch_tanh: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))."""
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


_erf = np.vectorize(math.erf, otypes=[np.float64])


def gelu_erf(x):
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


def silu(x):
    return x / (1.0 + np.exp(-x))


def activation(name):
    table = {
        "gelu_new": gelu_tanh,
        "gelu_pytorch_tanh": gelu_tanh,
        "gelu_fast": gelu_tanh,
        "gelu": gelu_erf,
        "silu": silu,
        "swish": silu,
        "relu": lambda x: np.maximum(x, 0.0),
    }
    if name not in table:
        raise CheckpointError(f"activation {name!r} is not supported by the reference "
                              f"(known: {sorted(table)})")
    return table[name]


def softmax(x, axis=-1):
    m = np.max(x, axis=axis, keepdims=True)
    e = np.exp(x - m)
    return e / e.sum(axis=axis, keepdims=True)


def causal_attention(q, k, v, scale):
    """q: [Hq, T, D]; k, v: [Hkv, T, D] with Hq a multiple of Hkv (kv head j serves q heads
    j*g .. j*g+g-1). Returns [T, Hq*D]."""
    hq, t, d = q.shape
    hkv = k.shape[0]
    if hq % hkv != 0:
        raise CheckpointError(f"num_attention_heads {hq} is not a multiple of "
                              f"num_key_value_heads {hkv}")
    g = hq // hkv
    if g > 1:
        k = np.repeat(k, g, axis=0)
        v = np.repeat(v, g, axis=0)
    scores = np.matmul(q, k.transpose(0, 2, 1)) * scale  # [H, T, T]
    future = np.triu(np.ones((t, t), dtype=bool), k=1)
    scores = np.where(future[None, :, :], -np.inf, scores)
    probs = softmax(scores, axis=-1)
    out = np.matmul(probs, v)  # [H, T, D]
    return out.transpose(1, 0, 2).reshape(t, hq * d)


def rope_inv_freq(head_dim, theta, rope_scaling=None):
    """inv_freq[i] = 1 / theta^(2i/head_dim), i < head_dim/2, with optional HF rope_scaling."""
    if head_dim % 2 != 0:
        raise CheckpointError(f"head_dim {head_dim} must be even for RoPE")
    inv = 1.0 / (float(theta) ** (np.arange(0, head_dim, 2, dtype=np.float64) / head_dim))
    if not rope_scaling:
        return inv
    kind = rope_scaling.get("rope_type", rope_scaling.get("type", "default"))
    if kind == "default":
        return inv
    if kind == "linear":
        return inv / float(rope_scaling["factor"])
    if kind == "llama3":
        factor = float(rope_scaling["factor"])
        low = float(rope_scaling["low_freq_factor"])
        high = float(rope_scaling["high_freq_factor"])
        original = float(rope_scaling["original_max_position_embeddings"])
        low_freq_wavelen = original / low
        high_freq_wavelen = original / high
        out = np.empty_like(inv)
        for i, f in enumerate(inv):
            wavelen = 2.0 * math.pi / f
            if wavelen > low_freq_wavelen:
                out[i] = f / factor
            elif wavelen < high_freq_wavelen:
                out[i] = f
            else:
                smooth = (original / wavelen - low) / (high - low)
                out[i] = (1.0 - smooth) * f / factor + smooth * f
        return out
    raise CheckpointError(f"rope_scaling type {kind!r} is not supported by the reference "
                          "(default, linear, llama3)")


def rotate_half(x):
    half = x.shape[-1] // 2
    return np.concatenate([-x[..., half:], x[..., :half]], axis=-1)


def apply_rope(x, positions, inv_freq):
    """x: [..., T, D]; HF rotate_half convention (pairs i and i + D/2)."""
    angles = np.asarray(positions, dtype=np.float64)[:, None] * inv_freq[None, :]  # [T, D/2]
    angles = np.concatenate([angles, angles], axis=-1)  # [T, D]
    return x * np.cos(angles) + rotate_half(x) * np.sin(angles)


# ----------------------------------------------------------------------------------------------
# models
# ----------------------------------------------------------------------------------------------

class _Weights:
    def __init__(self, tensors, prefixes, where):
        self.t = tensors
        self.prefixes = prefixes
        self.where = where

    def has(self, name):
        return any(p + name in self.t for p in self.prefixes)

    def get(self, name, shape):
        for p in self.prefixes:
            if p + name in self.t:
                arr = self.t[p + name]
                if tuple(arr.shape) != tuple(shape):
                    raise CheckpointError(f"{self.where}: tensor {p + name} has shape "
                                          f"{list(arr.shape)}, expected {list(shape)}")
                return arr
        raise CheckpointError(f"{self.where}: tensor {self.prefixes[-1] + name} is missing")


def _req(cfg, key, where):
    if key not in cfg or cfg[key] is None:
        raise CheckpointError(f"{where}: config.json lacks {key!r}")
    return cfg[key]


class Gpt2:
    """GPT2LMHeadModel semantics. Conv1D weights are [in, out]: y = x @ W + b."""

    def __init__(self, cfg, tensors, where="checkpoint"):
        self.h = int(_req(cfg, "n_embd", where))
        self.n_head = int(_req(cfg, "n_head", where))
        self.n_layer = int(_req(cfg, "n_layer", where))
        self.vocab = int(_req(cfg, "vocab_size", where))
        self.n_pos = int(cfg.get("n_positions") or cfg.get("n_ctx") or 1024)
        inner = cfg.get("n_inner") or 4 * self.h
        self.eps = float(cfg.get("layer_norm_epsilon", 1e-5))
        self.act = activation(cfg.get("activation_function", "gelu_new"))
        self.scale_attn = bool(cfg.get("scale_attn_weights", True))
        self.inverse_layer_idx = bool(cfg.get("scale_attn_by_inverse_layer_idx", False))
        if self.h % self.n_head:
            raise CheckpointError(f"{where}: n_embd {self.h} not divisible by n_head {self.n_head}")
        self.hd = self.h // self.n_head
        w = _Weights(tensors, ["transformer.", ""], where)
        h = self.h
        self.wte = w.get("wte.weight", (self.vocab, h))
        self.wpe = w.get("wpe.weight", (self.n_pos, h))
        self.layers = []
        for i in range(self.n_layer):
            p = f"h.{i}."
            self.layers.append(dict(
                ln1_w=w.get(p + "ln_1.weight", (h,)), ln1_b=w.get(p + "ln_1.bias", (h,)),
                attn_w=w.get(p + "attn.c_attn.weight", (h, 3 * h)),
                attn_b=w.get(p + "attn.c_attn.bias", (3 * h,)),
                aproj_w=w.get(p + "attn.c_proj.weight", (h, h)),
                aproj_b=w.get(p + "attn.c_proj.bias", (h,)),
                ln2_w=w.get(p + "ln_2.weight", (h,)), ln2_b=w.get(p + "ln_2.bias", (h,)),
                fc_w=w.get(p + "mlp.c_fc.weight", (h, inner)),
                fc_b=w.get(p + "mlp.c_fc.bias", (inner,)),
                mproj_w=w.get(p + "mlp.c_proj.weight", (inner, h)),
                mproj_b=w.get(p + "mlp.c_proj.bias", (h,)),
            ))
        self.lnf_w = w.get("ln_f.weight", (h,))
        self.lnf_b = w.get("ln_f.bias", (h,))
        if cfg.get("tie_word_embeddings", True):
            self.lm_head = self.wte
        else:
            if "lm_head.weight" not in tensors:
                raise CheckpointError(f"{where}: tie_word_embeddings is false but lm_head.weight "
                                      "is missing")
            self.lm_head = _Weights(tensors, [""], where).get("lm_head.weight", (self.vocab, h))

    def forward(self, ids):
        """Logits [T, vocab] for every position of ids."""
        ids = np.asarray(ids, dtype=np.int64)
        t = len(ids)
        if t > self.n_pos:
            raise CheckpointError(f"sequence of {t} tokens exceeds n_positions {self.n_pos}")
        x = self.wte[ids] + self.wpe[:t]
        for li, L in enumerate(self.layers):
            a = layer_norm(x, L["ln1_w"], L["ln1_b"], self.eps)
            qkv = a @ L["attn_w"] + L["attn_b"]
            q, k, v = (qkv[:, j * self.h:(j + 1) * self.h]
                       .reshape(t, self.n_head, self.hd).transpose(1, 0, 2) for j in range(3))
            scale = 1.0 / math.sqrt(self.hd) if self.scale_attn else 1.0
            if self.inverse_layer_idx:
                scale /= float(li + 1)
            att = causal_attention(q, k, v, scale)
            x = x + (att @ L["aproj_w"] + L["aproj_b"])
            m = layer_norm(x, L["ln2_w"], L["ln2_b"], self.eps)
            m = self.act(m @ L["fc_w"] + L["fc_b"])
            x = x + (m @ L["mproj_w"] + L["mproj_b"])
        x = layer_norm(x, self.lnf_w, self.lnf_b, self.eps)
        return x @ self.lm_head.T


class Llama:
    """LlamaForCausalLM semantics. nn.Linear weights are [out, in]: y = x @ W.T (+ b)."""

    def __init__(self, cfg, tensors, where="checkpoint"):
        self.h = int(_req(cfg, "hidden_size", where))
        self.n_head = int(_req(cfg, "num_attention_heads", where))
        self.n_kv = int(cfg.get("num_key_value_heads") or self.n_head)
        self.n_layer = int(_req(cfg, "num_hidden_layers", where))
        self.inter = int(_req(cfg, "intermediate_size", where))
        self.vocab = int(_req(cfg, "vocab_size", where))
        self.hd = int(cfg.get("head_dim") or self.h // self.n_head)
        self.eps = float(cfg.get("rms_norm_eps", 1e-6))
        self.act = activation(cfg.get("hidden_act", "silu"))
        self.theta = float(cfg.get("rope_theta", 10000.0))
        self.inv_freq = rope_inv_freq(self.hd, self.theta, cfg.get("rope_scaling"))
        attn_bias = bool(cfg.get("attention_bias", False))
        mlp_bias = bool(cfg.get("mlp_bias", False))
        if self.n_head % self.n_kv:
            raise CheckpointError(f"{where}: num_attention_heads {self.n_head} not a multiple of "
                                  f"num_key_value_heads {self.n_kv}")
        w = _Weights(tensors, ["model.", ""], where)
        h, hd, I = self.h, self.hd, self.inter
        qd, kvd = self.n_head * hd, self.n_kv * hd
        self.embed = w.get("embed_tokens.weight", (self.vocab, h))
        self.layers = []
        for i in range(self.n_layer):
            p = f"layers.{i}."
            L = dict(
                in_norm=w.get(p + "input_layernorm.weight", (h,)),
                q=w.get(p + "self_attn.q_proj.weight", (qd, h)),
                k=w.get(p + "self_attn.k_proj.weight", (kvd, h)),
                v=w.get(p + "self_attn.v_proj.weight", (kvd, h)),
                o=w.get(p + "self_attn.o_proj.weight", (h, qd)),
                post_norm=w.get(p + "post_attention_layernorm.weight", (h,)),
                gate=w.get(p + "mlp.gate_proj.weight", (I, h)),
                up=w.get(p + "mlp.up_proj.weight", (I, h)),
                down=w.get(p + "mlp.down_proj.weight", (h, I)),
            )
            zero = np.zeros
            if attn_bias:
                L["qb"] = w.get(p + "self_attn.q_proj.bias", (qd,))
                L["kb"] = w.get(p + "self_attn.k_proj.bias", (kvd,))
                L["vb"] = w.get(p + "self_attn.v_proj.bias", (kvd,))
                L["ob"] = w.get(p + "self_attn.o_proj.bias", (h,))
            else:
                L["qb"], L["kb"], L["vb"], L["ob"] = zero(qd), zero(kvd), zero(kvd), zero(h)
            if mlp_bias:
                L["gb"] = w.get(p + "mlp.gate_proj.bias", (I,))
                L["ub"] = w.get(p + "mlp.up_proj.bias", (I,))
                L["db"] = w.get(p + "mlp.down_proj.bias", (h,))
            else:
                L["gb"], L["ub"], L["db"] = zero(I), zero(I), zero(h)
            self.layers.append(L)
        self.norm = w.get("norm.weight", (h,))
        if cfg.get("tie_word_embeddings", False):
            self.lm_head = self.embed
        else:
            if "lm_head.weight" not in tensors:
                raise CheckpointError(f"{where}: tie_word_embeddings is false/absent but "
                                      "lm_head.weight is missing")
            self.lm_head = _Weights(tensors, [""], where).get("lm_head.weight", (self.vocab, h))

    def forward(self, ids):
        ids = np.asarray(ids, dtype=np.int64)
        t = len(ids)
        pos = np.arange(t)
        x = self.embed[ids]
        scale = 1.0 / math.sqrt(self.hd)
        for L in self.layers:
            a = rms_norm(x, L["in_norm"], self.eps)
            q = (a @ L["q"].T + L["qb"]).reshape(t, self.n_head, self.hd).transpose(1, 0, 2)
            k = (a @ L["k"].T + L["kb"]).reshape(t, self.n_kv, self.hd).transpose(1, 0, 2)
            v = (a @ L["v"].T + L["vb"]).reshape(t, self.n_kv, self.hd).transpose(1, 0, 2)
            q = apply_rope(q, pos, self.inv_freq)
            k = apply_rope(k, pos, self.inv_freq)
            att = causal_attention(q, k, v, scale)
            x = x + (att @ L["o"].T + L["ob"])
            m = rms_norm(x, L["post_norm"], self.eps)
            g = self.act(m @ L["gate"].T + L["gb"])
            u = m @ L["up"].T + L["ub"]
            x = x + ((g * u) @ L["down"].T + L["db"])
        x = rms_norm(x, self.norm, self.eps)
        return x @ self.lm_head.T


def model_type(cfg):
    mt = cfg.get("model_type")
    if not mt:
        archs = cfg.get("architectures") or []
        for a in archs:
            if a.startswith("GPT2"):
                mt = "gpt2"
            elif a.startswith("Llama"):
                mt = "llama"
    return mt


def build_model(cfg, tensors, where="checkpoint"):
    mt = model_type(cfg)
    if mt == "gpt2":
        return Gpt2(cfg, tensors, where)
    if mt == "llama":
        return Llama(cfg, tensors, where)
    import reference_families  # noqa: E402 (imports this module's building blocks)
    if mt in reference_families.FAMILIES:
        return reference_families.Family(cfg, tensors, where)
    raise CheckpointError(f"{where}: model_type {mt!r} is not supported by the reference "
                          f"(gpt2, llama, {', '.join(reference_families.FAMILIES)})")


def load_model(model_dir):
    return build_model(load_config(model_dir), load_state_dict(model_dir), model_dir)


def greedy(model, prompt_ids, max_new_tokens, penalty=1.0, min_new=0, eos_ids=()):
    """Returns (generated ids, list of raw logits arrays): step 0 from the prompt's last position. With a repetition
    penalty or min_new_tokens the next id is the argmax of the processed logits (reference_processors); generation
    stops after an EOS id when eos_ids are given."""
    import reference_processors  # noqa: E402
    if not prompt_ids:
        raise CheckpointError("a prompt needs at least one token id")
    for i in prompt_ids:
        if not 0 <= i < model.vocab:
            raise CheckpointError(f"prompt token id {i} is outside the vocabulary [0, {model.vocab})")
    seq = list(prompt_ids)
    generated, logits = [], []
    for _ in range(max_new_tokens):
        last = model.forward(seq)[-1]
        scores = reference_processors.process(last, prompt_ids, generated, penalty, min_new, eos_ids)
        nxt = int(np.argmax(scores))
        logits.append(last)
        generated.append(nxt)
        seq.append(nxt)
        if nxt in eos_ids:
            break
    return generated, logits


def _parse_ids(text):
    try:
        ids = [int(s) for s in text.split(",") if s.strip() != ""]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--prompt-ids {text!r}: expected comma-separated "
                                         "integers like 1,2,3") from None
    if not ids:
        raise argparse.ArgumentTypeError("--prompt-ids needs at least one id")
    return ids


def main(argv=None):
    ap = argparse.ArgumentParser(description="fp64 numpy reference decoder (GPT-2, Llama)")
    ap.add_argument("model_dir")
    ap.add_argument("--prompt-ids", type=_parse_ids, action="append", required=True,
                    help="comma-separated token ids; repeat for more rows")
    ap.add_argument("--max-new-tokens", type=int, required=True)
    ap.add_argument("--repetition-penalty", type=float, default=1.0)
    ap.add_argument("--min-new-tokens", type=int, default=0)
    ap.add_argument("--eos-id", type=int, action="append", default=[], help="stop after this id; repeatable")
    args = ap.parse_args(argv)
    if args.max_new_tokens < 0:
        ap.error("--max-new-tokens must be >= 0")
    try:
        model = load_model(args.model_dir)
        rows = []
        for prompt in args.prompt_ids:
            gen, logits = greedy(model, prompt, args.max_new_tokens, args.repetition_penalty,
                                 args.min_new_tokens, tuple(args.eos_id))
            rows.append({"prompt_ids": prompt, "generated_ids": gen,
                         "logits": [l.tolist() for l in logits]})
    except ValueError as e:  # CheckpointError, also as raised from reference_families' import of this module
        print(f"reference_decoder: {e}", file=sys.stderr)
        return 2
    json.dump({"rows": rows}, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
