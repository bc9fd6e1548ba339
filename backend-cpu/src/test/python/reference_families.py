#!/usr/bin/python3
"""fp64 numpy reference for the Llama-like families beyond Llama: Mistral, Qwen2, Qwen3, Phi-3,
Gemma 2, Gemma 3 (text), Granite and SmolLM3.

Written from the transformers modeling code of each family (MistralForCausalLM, Qwen2ForCausalLM,
Qwen3ForCausalLM, Phi3ForCausalLM, Gemma2ForCausalLM, Gemma3ForCausalLM, GraniteForCausalLM,
SmolLM3ForCausalLM) and their config classes' defaults. It shares nothing with the Java runtime.
Every forward pass recomputes the whole sequence (no cache), as transformers does without one:
e.g. Phi-3's longrope picks its long or short factors by the length of that sequence.
"""

import math

import numpy as np

from reference_decoder import (CheckpointError, _Weights, _req, activation, rms_norm, rope_inv_freq,
                               rotate_half, softmax)

FAMILIES = ("mistral", "qwen2", "qwen3", "phi3", "gemma2", "gemma3_text", "granite", "smollm3")

# transformers' config-class defaults that matter when a key is absent
_DEFAULT_HEAD_DIM = {"qwen3": 128, "gemma2": 256, "gemma3_text": 256}
_DEFAULT_THETA = {"gemma3_text": 1_000_000.0, "smollm3": 2_000_000.0}
_DEFAULT_TIED = {"gemma2": True, "gemma3_text": True, "smollm3": True}


def _gemma_norm(x, weight, eps):
    """Gemma's RMSNorm: x / rms(x) * (1 + weight)."""
    return x / np.sqrt((x * x).mean(axis=-1, keepdims=True) + eps) * (1.0 + weight)


def _sliding_windows(mt, cfg, n_layer):
    """Per layer the sliding window (None = global), following each family's modeling code."""
    window = cfg.get("sliding_window")
    types = cfg.get("layer_types")
    if mt in ("mistral", "phi3"):
        return [window] * n_layer
    if mt in ("qwen2", "qwen3", "smollm3"):
        if not cfg.get("use_sliding_window", False):
            return [None] * n_layer
        if types:
            return [window if t == "sliding_attention" else None for t in types]
        first = cfg.get("max_window_layers", 28)
        return [window if i >= first else None for i in range(n_layer)]
    if mt == "gemma2":
        window = cfg.get("sliding_window", 4096)
        if types:
            return [window if t == "sliding_attention" else None for t in types]
        return [window if i % 2 == 0 else None for i in range(n_layer)]
    if mt == "gemma3_text":
        window = cfg.get("sliding_window", 4096)
        if types:
            return [window if t == "sliding_attention" else None for t in types]
        pattern = cfg.get("sliding_window_pattern", 6)
        return [window if (i + 1) % pattern else None for i in range(n_layer)]
    return [None] * n_layer


def _longrope(cfg, rot_dim, base, seq_len):
    """Phi-3 longrope: (inv_freq, attention factor) for a sequence of seq_len tokens."""
    rs = cfg["rope_scaling"]
    max_pos = cfg["max_position_embeddings"]
    original = cfg.get("original_max_position_embeddings")
    if original:
        factor = max_pos / original
    else:
        original = max_pos
        factor = rs.get("factor", 1.0)
    att = rs.get("attention_factor")
    if att is None:
        att = 1.0 if factor <= 1.0 else math.sqrt(1 + math.log(factor) / math.log(original))
    ext = np.asarray(rs["long_factor"] if seq_len > original else rs["short_factor"], dtype=np.float64)
    inv = 1.0 / (ext * base ** (np.arange(0, rot_dim, 2, dtype=np.float64) / rot_dim))
    return inv, att


class Family:
    """A Llama-like decoder with one family's differences. nn.Linear weights are [out, in]."""

    def __init__(self, cfg, tensors, where="checkpoint"):
        mt = cfg.get("model_type")
        if mt not in FAMILIES:
            raise CheckpointError(f"{where}: model_type {mt!r} is not a family of this reference")
        self.mt = mt
        self.cfg = cfg
        self.gemma = mt in ("gemma2", "gemma3_text")
        self.h = int(_req(cfg, "hidden_size", where))
        self.n_head = int(_req(cfg, "num_attention_heads", where))
        self.n_kv = int(cfg.get("num_key_value_heads") or self.n_head)
        self.n_layer = int(_req(cfg, "num_hidden_layers", where))
        self.inter = int(_req(cfg, "intermediate_size", where))
        self.vocab = int(_req(cfg, "vocab_size", where))
        self.hd = int(cfg.get("head_dim") or _DEFAULT_HEAD_DIM.get(mt) or self.h // self.n_head)
        self.eps = float(cfg.get("rms_norm_eps", 1e-5 if mt == "phi3" else 1e-6))
        act = (cfg.get("hidden_activation") or cfg.get("hidden_act") or "gelu_pytorch_tanh") if self.gemma \
            else cfg.get("hidden_act", "silu")
        self.act = activation(act)
        self.theta = float(cfg.get("rope_theta", _DEFAULT_THETA.get(mt, 10000.0)))
        self.rot_dim = int(self.hd * float(cfg.get("partial_rotary_factor", 1.0)))
        self.windows = _sliding_windows(mt, cfg, self.n_layer)
        if mt == "smollm3":
            interval = cfg.get("no_rope_layer_interval", 4)
            use = cfg.get("no_rope_layers") or [int((i + 1) % interval != 0) for i in range(self.n_layer)]
            self.use_rope = [bool(u) for u in use]
        else:
            self.use_rope = [True] * self.n_layer
        if self.gemma:
            self.scaling = float(cfg.get("query_pre_attn_scalar", 256)) ** -0.5
        elif mt == "granite":
            self.scaling = float(cfg.get("attention_multiplier", 1.0))
        else:
            self.scaling = self.hd ** -0.5
        default_caps = (50.0, 30.0) if mt == "gemma2" else (None, None)
        self.attn_cap = cfg.get("attn_logit_softcapping", default_caps[0])
        self.final_cap = cfg.get("final_logit_softcapping", default_caps[1])
        self.norm = _gemma_norm if self.gemma else rms_norm

        w = _Weights(tensors, ["model.", ""], where)
        h, hd, I = self.h, self.hd, self.inter
        qd, kvd = self.n_head * hd, self.n_kv * hd
        q_bias = mt == "qwen2" or (mt != "phi3" and bool(cfg.get("attention_bias", False)))
        o_bias = mt != "qwen2" and mt != "phi3" and bool(cfg.get("attention_bias", False))
        self.embed = w.get("embed_tokens.weight", (self.vocab, h))
        self.layers = []
        for i in range(self.n_layer):
            p = f"layers.{i}."
            L = {"in_norm": w.get(p + "input_layernorm.weight", (h,)),
                 "o": w.get(p + "self_attn.o_proj.weight", (h, qd)),
                 "down": w.get(p + "mlp.down_proj.weight", (h, I))}
            if mt == "phi3":
                qkv = w.get(p + "self_attn.qkv_proj.weight", (qd + 2 * kvd, h))
                L["q"], L["k"], L["v"] = qkv[:qd], qkv[qd:qd + kvd], qkv[qd + kvd:]
                gate_up = w.get(p + "mlp.gate_up_proj.weight", (2 * I, h))
                L["gate"], L["up"] = gate_up[:I], gate_up[I:]
            else:
                L["q"] = w.get(p + "self_attn.q_proj.weight", (qd, h))
                L["k"] = w.get(p + "self_attn.k_proj.weight", (kvd, h))
                L["v"] = w.get(p + "self_attn.v_proj.weight", (kvd, h))
                L["gate"] = w.get(p + "mlp.gate_proj.weight", (I, h))
                L["up"] = w.get(p + "mlp.up_proj.weight", (I, h))
            zero = np.zeros
            L["qb"] = w.get(p + "self_attn.q_proj.bias", (qd,)) if q_bias else zero(qd)
            L["kb"] = w.get(p + "self_attn.k_proj.bias", (kvd,)) if q_bias else zero(kvd)
            L["vb"] = w.get(p + "self_attn.v_proj.bias", (kvd,)) if q_bias else zero(kvd)
            L["ob"] = w.get(p + "self_attn.o_proj.bias", (h,)) if o_bias else zero(h)
            if mt in ("qwen3", "gemma3_text"):
                L["q_norm"] = w.get(p + "self_attn.q_norm.weight", (hd,))
                L["k_norm"] = w.get(p + "self_attn.k_norm.weight", (hd,))
            L["post_attn"] = w.get(p + "post_attention_layernorm.weight", (h,))
            if self.gemma:
                L["pre_ff"] = w.get(p + "pre_feedforward_layernorm.weight", (h,))
                L["post_ff"] = w.get(p + "post_feedforward_layernorm.weight", (h,))
            self.layers.append(L)
        self.final_norm = w.get("norm.weight", (h,))
        if cfg.get("tie_word_embeddings", _DEFAULT_TIED.get(mt, False)):
            self.lm_head = self.embed
        else:
            self.lm_head = _Weights(tensors, [""], where).get("lm_head.weight", (self.vocab, h))

    def _rope(self, i, t):
        """(inv_freq, cos/sin scale) of layer i for a t-token sequence, or None for a NoPE layer."""
        if not self.use_rope[i]:
            return None
        rs = self.cfg.get("rope_scaling")
        kind = (rs or {}).get("rope_type", (rs or {}).get("type"))
        if self.mt == "gemma3_text" and self.windows[i] is not None:
            # sliding layers: the local base, never scaled
            return rope_inv_freq(self.rot_dim, float(self.cfg.get("rope_local_base_freq", 10000.0))), 1.0
        if kind in ("longrope", "su"):
            return _longrope(self.cfg, self.rot_dim, self.theta, t)
        return rope_inv_freq(self.rot_dim, self.theta, rs), 1.0

    def _apply_rope(self, x, pos, inv, mscale):
        rot, keep = x[..., :self.rot_dim], x[..., self.rot_dim:]
        ang = pos[:, None] * inv[None, :]
        ang = np.concatenate([ang, ang], axis=-1)
        rot = rot * (np.cos(ang) * mscale) + rotate_half(rot) * (np.sin(ang) * mscale)
        return np.concatenate([rot, keep], axis=-1)

    def _attention(self, q, k, v, window):
        hq, t, d = q.shape
        g = hq // k.shape[0]
        k = np.repeat(k, g, axis=0)
        v = np.repeat(v, g, axis=0)
        s = np.matmul(q, k.transpose(0, 2, 1)) * self.scaling
        if self.attn_cap:
            s = np.tanh(s / self.attn_cap) * self.attn_cap
        qi = np.arange(t)[:, None]
        kj = np.arange(t)[None, :]
        allowed = kj <= qi
        if window:
            allowed &= kj > qi - window
        s = np.where(allowed[None], s, -np.inf)
        return np.matmul(softmax(s, axis=-1), v).transpose(1, 0, 2).reshape(t, hq * d)

    def forward(self, ids):
        ids = np.asarray(ids, dtype=np.int64)
        t = len(ids)
        pos = np.arange(t, dtype=np.float64)
        x = self.embed[ids]
        if self.gemma:
            x = x * math.sqrt(self.h)
        elif self.mt == "granite":
            x = x * float(self.cfg.get("embedding_multiplier", 1.0))
        resid = float(self.cfg.get("residual_multiplier", 1.0)) if self.mt == "granite" else 1.0
        for i, L in enumerate(self.layers):
            a = self.norm(x, L["in_norm"], self.eps)
            q = (a @ L["q"].T + L["qb"]).reshape(t, self.n_head, self.hd).transpose(1, 0, 2)
            k = (a @ L["k"].T + L["kb"]).reshape(t, self.n_kv, self.hd).transpose(1, 0, 2)
            v = (a @ L["v"].T + L["vb"]).reshape(t, self.n_kv, self.hd).transpose(1, 0, 2)
            if "q_norm" in L:
                q = self.norm(q, L["q_norm"], self.eps)
                k = self.norm(k, L["k_norm"], self.eps)
            rope = self._rope(i, t)
            if rope is not None:
                q = self._apply_rope(q, pos, *rope)
                k = self._apply_rope(k, pos, *rope)
            o = self._attention(q, k, v, self.windows[i]) @ L["o"].T + L["ob"]
            if self.gemma:
                x = x + self.norm(o, L["post_attn"], self.eps)
                m = self.norm(x, L["pre_ff"], self.eps)
            else:
                x = x + o * resid
                m = self.norm(x, L["post_attn"], self.eps)
            y = (self.act(m @ L["gate"].T) * (m @ L["up"].T)) @ L["down"].T
            x = x + (self.norm(y, L["post_ff"], self.eps) if self.gemma else y * resid)
        x = self.norm(x, self.final_norm, self.eps)
        logits = x @ self.lm_head.T
        if self.mt == "granite":
            logits = logits / float(self.cfg.get("logits_scaling", 1.0))
        if self.final_cap:
            logits = np.tanh(logits / self.final_cap) * self.final_cap
        return logits
