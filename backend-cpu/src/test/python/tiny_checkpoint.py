#!/usr/bin/python3
"""Writes tiny random-weight GPT-2 / Llama checkpoints in Hugging Face format with numpy only.

    /usr/bin/python3 tiny_checkpoint.py llama|gpt2 OUT_DIR [--hidden 128] [--layers 4]
        [--heads 4] [--kv-heads 2] [--intermediate 512] [--vocab 2048] [--max-pos 512]
        [--dtype F32|F16|BF16] [--seed 0] [--std 0.1] [--untied] [--shards N]

writes OUT_DIR/config.json, OUT_DIR/model.safetensors (or model-0000k-of-0000N.safetensors plus
model.safetensors.index.json with --shards N > 1) and OUT_DIR/tokenizer.json (a small BPE
vocabulary of the right size: Llama-style with byte fallback, or GPT-2 byte-level). Used by the
reference-decoder tests and to feed the Jlama benchmark before the project's own generator exists.
"""

import argparse
import json
import os

import numpy as np

_NP = {"F32": np.float32, "F16": np.float16}


def float32_to_bf16_bits(a):
    """Round-to-nearest-even float32 -> bfloat16 bit patterns (uint16)."""
    bits = np.ascontiguousarray(a, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounding = ((bits >> 16) & 1) + 0x7FFF
    return ((bits + rounding) >> 16).astype(np.uint16)


def encode_tensor(arr, dtype):
    """(bytes, shape) of arr stored as dtype (F64/F32/F16/BF16)."""
    arr = np.asarray(arr)
    if dtype == "BF16":
        data = float32_to_bf16_bits(arr.astype(np.float32)).astype("<u2")
    elif dtype == "F64":
        data = arr.astype("<f8")
    elif dtype in _NP:
        data = arr.astype(np.dtype(_NP[dtype]).newbyteorder("<"))
    else:
        raise ValueError(f"unsupported dtype {dtype}")
    return np.ascontiguousarray(data).tobytes(), list(arr.shape)


def write_safetensors(path, tensors, dtype="F32", metadata=None):
    """tensors: dict name -> ndarray (or (ndarray, dtype) to override per tensor)."""
    header = {}
    blobs = []
    offset = 0
    for name in tensors:
        val = tensors[name]
        arr, dt = (val if isinstance(val, tuple) else (val, dtype))
        data, shape = encode_tensor(arr, dt)
        header[name] = {"dtype": dt, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = metadata or {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)  # align the data start like the Rust writer does
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(len(text).to_bytes(8, "little"))
        f.write(text)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def write_checkpoint(out_dir, config, tensors, dtype="F32", shards=1, tokenizer=None):
    os.makedirs(out_dir, exist_ok=True)
    config = dict(config)
    config["torch_dtype"] = {"F32": "float32", "F16": "float16", "BF16": "bfloat16"}[dtype]
    with open(os.path.join(out_dir, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
    names = list(tensors)
    if shards <= 1:
        write_safetensors(os.path.join(out_dir, "model.safetensors"), tensors, dtype)
    else:
        weight_map = {}
        per = (len(names) + shards - 1) // shards
        for s in range(shards):
            fname = f"model-{s + 1:05d}-of-{shards:05d}.safetensors"
            part = {n: tensors[n] for n in names[s * per:(s + 1) * per]}
            write_safetensors(os.path.join(out_dir, fname), part, dtype)
            for n in part:
                weight_map[n] = fname
        with open(os.path.join(out_dir, "model.safetensors.index.json"), "w") as f:
            json.dump({"metadata": {}, "weight_map": weight_map}, f, indent=2)
    if tokenizer is not None:
        with open(os.path.join(out_dir, "tokenizer.json"), "w", encoding="utf-8") as f:
            json.dump(tokenizer, f, ensure_ascii=False, indent=1)


# ----------------------------------------------------------------------------------------------
# tokenizers (only need to load; token ids are passed directly in tests and benchmarks)
# ----------------------------------------------------------------------------------------------

def _added(i, content):
    return {"id": i, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": False, "special": True}


def _grow_merges(vocab, base, size):
    """Adds merged pieces a+b (a, b already in vocab) until the vocabulary has `size` entries."""
    merges = []
    pieces = list(base)
    i = 0
    while len(vocab) < size:
        a = pieces[i % len(pieces)]
        for b in base:
            if len(vocab) >= size:
                break
            m = a + b
            if m not in vocab:
                vocab[m] = len(vocab)
                merges.append(f"{a} {b}")
                pieces.append(m)
        i += 1
    return merges


def llama_tokenizer(vocab_size):
    specials = ["<unk>", "<s>", "</s>"]
    vocab = {s: i for i, s in enumerate(specials)}
    for b in range(256):
        vocab[f"<0x{b:02X}>"] = len(vocab)
    base = ["\u2581"] + [chr(c) for c in range(ord("a"), ord("z") + 1)] + \
        [chr(c) for c in range(ord("A"), ord("Z") + 1)] + [str(d) for d in range(10)] + \
        list(".,;:!?'\"-()")
    base = base[:max(0, vocab_size - len(vocab))]
    for ch in base:
        vocab[ch] = len(vocab)
    merges = _grow_merges(vocab, base, vocab_size)
    if len(vocab) != vocab_size:
        raise ValueError(f"vocab_size {vocab_size} too small for a Llama-style tokenizer (>= 300)")
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [_added(i, s) for i, s in enumerate(specials)],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Prepend", "prepend": "\u2581"},
            {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}]},
        "pre_tokenizer": None,
        "post_processor": None,
        "decoder": {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "},
            {"type": "ByteFallback"}, {"type": "Fuse"},
            {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>",
                  "continuing_subword_prefix": None, "end_of_word_suffix": None,
                  "fuse_unk": True, "byte_fallback": True, "ignore_merges": False,
                  "vocab": vocab, "merges": merges},
    }


def byte_level_alphabet():
    """The 256 printable characters GPT-2's byte-level BPE uses for the bytes 0..255."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + \
        list(range(0xAE, 0xFF + 1))
    table = {}
    extra = 0
    for b in range(256):
        if b in keep:
            table[b] = chr(b)
        else:
            table[b] = chr(256 + extra)
            extra += 1
    return [table[b] for b in range(256)]


def gpt2_tokenizer(vocab_size):
    alphabet = byte_level_alphabet()
    vocab = {ch: i for i, ch in enumerate(alphabet)}
    # merge among the letters and the space marker only, leave the last id for <|endoftext|>
    base = ["\u0120"] + [chr(c) for c in range(ord("a"), ord("z") + 1)]
    merges = _grow_merges(vocab, base, vocab_size - 1)
    eot = "<|endoftext|>"
    vocab[eot] = len(vocab)
    if len(vocab) != vocab_size:
        raise ValueError(f"vocab_size {vocab_size} too small for a GPT-2 tokenizer (>= 300)")
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [_added(vocab_size - 1, eot)],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True,
                          "use_regex": True},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False,
                           "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True,
                    "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None,
                  "continuing_subword_prefix": "", "end_of_word_suffix": "", "fuse_unk": False,
                  "byte_fallback": False, "ignore_merges": False, "vocab": vocab,
                  "merges": merges},
    }


# ----------------------------------------------------------------------------------------------
# random weights
# ----------------------------------------------------------------------------------------------

def llama_tensors(cfg, rng, std=0.1, untied=False):
    h, I, v = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]
    hd = cfg.get("head_dim") or h // cfg["num_attention_heads"]
    qd = cfg["num_attention_heads"] * hd
    kvd = cfg["num_key_value_heads"] * hd

    def n(*shape):
        return (rng.standard_normal(shape) * std).astype(np.float32)

    def norm():
        return (1.0 + rng.standard_normal(h) * std).astype(np.float32)

    t = {"model.embed_tokens.weight": (rng.standard_normal((v, h)) * 0.5).astype(np.float32)}
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        t[p + "input_layernorm.weight"] = norm()
        t[p + "self_attn.q_proj.weight"] = n(qd, h)
        t[p + "self_attn.k_proj.weight"] = n(kvd, h)
        t[p + "self_attn.v_proj.weight"] = n(kvd, h)
        t[p + "self_attn.o_proj.weight"] = n(h, qd)
        if cfg.get("attention_bias"):
            t[p + "self_attn.q_proj.bias"] = n(qd)
            t[p + "self_attn.k_proj.bias"] = n(kvd)
            t[p + "self_attn.v_proj.bias"] = n(kvd)
            t[p + "self_attn.o_proj.bias"] = n(h)
        t[p + "post_attention_layernorm.weight"] = norm()
        t[p + "mlp.gate_proj.weight"] = n(I, h)
        t[p + "mlp.up_proj.weight"] = n(I, h)
        t[p + "mlp.down_proj.weight"] = n(h, I)
    t["model.norm.weight"] = norm()
    if untied:
        t["lm_head.weight"] = n(v, h)
    return t


def llama_config(hidden=128, layers=4, heads=4, kv_heads=2, intermediate=512, vocab=2048,
                 max_pos=512, tied=True, **extra):
    cfg = {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama",
        "hidden_size": hidden, "intermediate_size": intermediate,
        "num_attention_heads": heads, "num_key_value_heads": kv_heads,
        "num_hidden_layers": layers, "vocab_size": vocab, "max_position_embeddings": max_pos,
        "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "hidden_act": "silu",
        "tie_word_embeddings": tied, "bos_token_id": 1, "eos_token_id": 2,
        "attention_bias": False, "mlp_bias": False, "rope_scaling": None,
    }
    cfg.update(extra)
    return cfg


def gpt2_config(hidden=128, layers=4, heads=4, vocab=2048, max_pos=512, inner=None, tied=True,
                **extra):
    cfg = {
        "architectures": ["GPT2LMHeadModel"], "model_type": "gpt2",
        "n_embd": hidden, "n_layer": layers, "n_head": heads, "n_inner": inner,
        "vocab_size": vocab, "n_positions": max_pos, "n_ctx": max_pos,
        "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new",
        "bos_token_id": vocab - 1, "eos_token_id": vocab - 1, "tie_word_embeddings": tied,
    }
    cfg.update(extra)
    return cfg


def gpt2_tensors(cfg, rng, std=0.1, untied=False, prefix=""):
    h, v, P = cfg["n_embd"], cfg["vocab_size"], cfg["n_positions"]
    inner = cfg.get("n_inner") or 4 * h

    def n(*shape):
        return (rng.standard_normal(shape) * std).astype(np.float32)

    t = {prefix + "wte.weight": (rng.standard_normal((v, h)) * 0.5).astype(np.float32),
         prefix + "wpe.weight": n(P, h)}
    for i in range(cfg["n_layer"]):
        p = f"{prefix}h.{i}."
        t[p + "ln_1.weight"] = (1 + n(h)).astype(np.float32)
        t[p + "ln_1.bias"] = n(h)
        t[p + "attn.c_attn.weight"] = n(h, 3 * h)
        t[p + "attn.c_attn.bias"] = n(3 * h)
        t[p + "attn.c_proj.weight"] = n(h, h)
        t[p + "attn.c_proj.bias"] = n(h)
        t[p + "ln_2.weight"] = (1 + n(h)).astype(np.float32)
        t[p + "ln_2.bias"] = n(h)
        t[p + "mlp.c_fc.weight"] = n(h, inner)
        t[p + "mlp.c_fc.bias"] = n(inner)
        t[p + "mlp.c_proj.weight"] = n(inner, h)
        t[p + "mlp.c_proj.bias"] = n(h)
    t[prefix + "ln_f.weight"] = (1 + n(h)).astype(np.float32)
    t[prefix + "ln_f.bias"] = n(h)
    if untied:
        t["lm_head.weight"] = n(v, h)
    return t


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("arch", choices=["llama", "gpt2"])
    ap.add_argument("out_dir")
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--kv-heads", type=int, default=2)
    ap.add_argument("--intermediate", type=int, default=512)
    ap.add_argument("--vocab", type=int, default=2048)
    ap.add_argument("--max-pos", type=int, default=512)
    ap.add_argument("--dtype", choices=["F32", "F16", "BF16"], default="F32")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--std", type=float, default=0.1)
    ap.add_argument("--untied", action="store_true")
    ap.add_argument("--shards", type=int, default=1)
    ap.add_argument("--rope-scaling", type=json.loads, default=None,
                    help='Llama rope_scaling as JSON, e.g. {"rope_type":"linear","factor":2.0}')
    ap.add_argument("--rope-theta", type=float, default=10000.0)
    ap.add_argument("--gpt2-prefix", default="",
                    help="GPT-2 tensor name prefix: '' (original openai-community/gpt2 layout, "
                         "what Jlama reads) or 'transformer.' (save_pretrained layout)")
    a = ap.parse_args(argv)
    rng = np.random.default_rng(a.seed)
    if a.arch == "llama":
        cfg = llama_config(a.hidden, a.layers, a.heads, a.kv_heads, a.intermediate, a.vocab,
                           a.max_pos, tied=not a.untied, rope_scaling=a.rope_scaling,
                           rope_theta=a.rope_theta)
        tensors = llama_tensors(cfg, rng, a.std, a.untied)
        tok = llama_tokenizer(a.vocab)
    else:
        cfg = gpt2_config(a.hidden, a.layers, a.heads, a.vocab, a.max_pos, tied=not a.untied)
        tensors = gpt2_tensors(cfg, rng, a.std, a.untied, prefix=a.gpt2_prefix)
        tok = gpt2_tokenizer(a.vocab)
    write_checkpoint(a.out_dir, cfg, tensors, a.dtype, a.shards, tok)
    params = sum(int(np.prod(x.shape)) for x in tensors.values())
    print(f"wrote {a.arch} checkpoint to {a.out_dir}: {params} parameters, {a.dtype}")


if __name__ == "__main__":
    main()
