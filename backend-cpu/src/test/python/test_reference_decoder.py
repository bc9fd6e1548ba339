#!/usr/bin/python3
"""Checks reference_decoder.py piece by piece against hand-computed cases, properties and a
deliberately naive scalar-loop implementation.

    /usr/bin/python3 backend-cpu/src/test/python/test_reference_decoder.py [-v]
"""

import contextlib
import io
import json
import math
import os
import struct
import subprocess
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import reference_decoder as rd  # noqa: E402
import tiny_checkpoint as tc  # noqa: E402


def make_checkpoint(argv):
    with contextlib.redirect_stdout(io.StringIO()):
        tc.main(argv)


def tmpdir(test):
    d = tempfile.TemporaryDirectory(prefix="refdec-")
    test.addCleanup(d.cleanup)
    return d.name


def llama_model(rng, **kw):
    cfg = tc.llama_config(**kw)
    return cfg, tc.llama_tensors(cfg, rng, std=0.3), None


def as64(tensors):
    return {k: np.asarray(v, dtype=np.float64) for k, v in tensors.items()}


# ----------------------------------------------------------------------------------------------
# a deliberately naive implementation: Python loops over scalars, written without numpy tricks
# ----------------------------------------------------------------------------------------------

def _vec_mat_linear(x, w, b=None):
    """nn.Linear: w is [out][in]."""
    out = []
    for o in range(len(w)):
        s = 0.0
        for i in range(len(x)):
            s += x[i] * w[o][i]
        out.append(s + (b[o] if b is not None else 0.0))
    return out


def _vec_mat_conv1d(x, w, b):
    """Conv1D: w is [in][out]."""
    n_out = len(w[0])
    out = []
    for o in range(n_out):
        s = 0.0
        for i in range(len(x)):
            s += x[i] * w[i][o]
        out.append(s + b[o])
    return out


def _naive_attention(qs, ks, vs, n_head, n_kv, hd, scale):
    """qs[t]: list of n_head*hd; ks/vs[t]: n_kv*hd. Returns list over t of n_head*hd."""
    group = n_head // n_kv
    out = []
    for t in range(len(qs)):
        row = []
        for h in range(n_head):
            kvh = h // group
            scores = []
            for s in range(t + 1):
                dot = 0.0
                for d in range(hd):
                    dot += qs[t][h * hd + d] * ks[s][kvh * hd + d]
                scores.append(dot * scale)
            m = max(scores)
            ex = [math.exp(v - m) for v in scores]
            z = sum(ex)
            for d in range(hd):
                acc = 0.0
                for s in range(t + 1):
                    acc += ex[s] / z * vs[s][kvh * hd + d]
                row.append(acc)
        out.append(row)
    return out


def naive_llama(cfg, t, ids):
    h = cfg["hidden_size"]
    nh, nkv = cfg["num_attention_heads"], cfg["num_key_value_heads"]
    hd = h // nh
    eps = cfg["rms_norm_eps"]
    theta = cfg["rope_theta"]
    T = {k: v.tolist() for k, v in t.items()}

    def rms(x, w):
        ms = sum(v * v for v in x) / len(x)
        r = 1.0 / math.sqrt(ms + eps)
        return [x[i] * r * w[i] for i in range(len(x))]

    def rope(vec, pos, nheads):
        out = list(vec)
        half = hd // 2
        for hh in range(nheads):
            for i in range(half):
                freq = 1.0 / (theta ** (2.0 * i / hd))
                c, s = math.cos(pos * freq), math.sin(pos * freq)
                a, b = vec[hh * hd + i], vec[hh * hd + i + half]
                out[hh * hd + i] = a * c - b * s
                out[hh * hd + i + half] = b * c + a * s
        return out

    xs = [list(T["model.embed_tokens.weight"][i]) for i in ids]
    for li in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{li}."
        a = [rms(x, T[p + "input_layernorm.weight"]) for x in xs]
        qs = [rope(_vec_mat_linear(v, T[p + "self_attn.q_proj.weight"]), pos, nh)
              for pos, v in enumerate(a)]
        ks = [rope(_vec_mat_linear(v, T[p + "self_attn.k_proj.weight"]), pos, nkv)
              for pos, v in enumerate(a)]
        vs = [_vec_mat_linear(v, T[p + "self_attn.v_proj.weight"]) for v in a]
        att = _naive_attention(qs, ks, vs, nh, nkv, hd, 1.0 / math.sqrt(hd))
        for i in range(len(xs)):
            o = _vec_mat_linear(att[i], T[p + "self_attn.o_proj.weight"])
            xs[i] = [xs[i][j] + o[j] for j in range(h)]
        for i in range(len(xs)):
            m = rms(xs[i], T[p + "post_attention_layernorm.weight"])
            g = _vec_mat_linear(m, T[p + "mlp.gate_proj.weight"])
            u = _vec_mat_linear(m, T[p + "mlp.up_proj.weight"])
            act = [g[j] / (1.0 + math.exp(-g[j])) * u[j] for j in range(len(g))]
            d = _vec_mat_linear(act, T[p + "mlp.down_proj.weight"])
            xs[i] = [xs[i][j] + d[j] for j in range(h)]
    head = T["model.embed_tokens.weight"]  # tied
    return [_vec_mat_linear(rms(x, T["model.norm.weight"]), head) for x in xs]


def naive_gpt2(cfg, t, ids):
    h, nh = cfg["n_embd"], cfg["n_head"]
    hd = h // nh
    eps = cfg["layer_norm_epsilon"]
    T = {k: v.tolist() for k, v in t.items()}

    def ln(x, w, b):
        mu = sum(x) / len(x)
        var = sum((v - mu) ** 2 for v in x) / len(x)
        r = 1.0 / math.sqrt(var + eps)
        return [(x[i] - mu) * r * w[i] + b[i] for i in range(len(x))]

    def gelu(v):
        return 0.5 * v * (1.0 + math.tanh(math.sqrt(2.0 / math.pi) * (v + 0.044715 * v ** 3)))

    xs = [[T["wte.weight"][tok][j] + T["wpe.weight"][pos][j] for j in range(h)]
          for pos, tok in enumerate(ids)]
    for li in range(cfg["n_layer"]):
        p = f"h.{li}."
        a = [ln(x, T[p + "ln_1.weight"], T[p + "ln_1.bias"]) for x in xs]
        qkv = [_vec_mat_conv1d(v, T[p + "attn.c_attn.weight"], T[p + "attn.c_attn.bias"])
               for v in a]
        qs = [r[:h] for r in qkv]
        ks = [r[h:2 * h] for r in qkv]
        vs = [r[2 * h:] for r in qkv]
        att = _naive_attention(qs, ks, vs, nh, nh, hd, 1.0 / math.sqrt(hd))
        for i in range(len(xs)):
            o = _vec_mat_conv1d(att[i], T[p + "attn.c_proj.weight"], T[p + "attn.c_proj.bias"])
            xs[i] = [xs[i][j] + o[j] for j in range(h)]
        for i in range(len(xs)):
            m = ln(xs[i], T[p + "ln_2.weight"], T[p + "ln_2.bias"])
            f = [gelu(v) for v in _vec_mat_conv1d(m, T[p + "mlp.c_fc.weight"],
                                                    T[p + "mlp.c_fc.bias"])]
            d = _vec_mat_conv1d(f, T[p + "mlp.c_proj.weight"], T[p + "mlp.c_proj.bias"])
            xs[i] = [xs[i][j] + d[j] for j in range(h)]
    return [_vec_mat_linear(ln(x, T["ln_f.weight"], T["ln_f.bias"]), T["wte.weight"])
            for x in xs]


# ----------------------------------------------------------------------------------------------

class SafetensorsTest(unittest.TestCase):

    def test_hand_built_file_offsets_are_relative_to_data_start(self):
        d = tmpdir(self)
        path = os.path.join(d, "x.safetensors")
        header = {"b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]},
                  "a": {"dtype": "BF16", "shape": [2], "data_offsets": [0, 4]},
                  "__metadata__": {"format": "pt"}}
        text = json.dumps(header).encode()
        data = struct.pack("<HH", 0x3F80, 0xC000) + struct.pack("<ff", 1.5, -0.25)
        with open(path, "wb") as f:
            f.write(struct.pack("<Q", len(text)) + text + data)
        t = rd.read_safetensors(path)
        self.assertEqual(sorted(t), ["a", "b"])
        np.testing.assert_array_equal(t["a"], [1.0, -2.0])
        np.testing.assert_array_equal(t["b"], [1.5, -0.25])
        self.assertEqual(t["a"].dtype, np.float64)

    def test_bf16_bit_patterns(self):
        bits = np.array([0x3F80, 0xC000, 0x4049, 0x0000, 0x8000, 0x7F80, 0x3E20], dtype=np.uint16)
        got = rd.bf16_bits_to_float32(bits).tolist()
        self.assertEqual(got[:5], [1.0, -2.0, 3.140625, 0.0, -0.0])
        self.assertTrue(math.isinf(got[5]))
        self.assertEqual(got[6], 0.15625)

    def test_round_trip_all_float_dtypes(self):
        d = tmpdir(self)
        rng = np.random.default_rng(1)
        x = rng.standard_normal((3, 5)).astype(np.float32)
        path = os.path.join(d, "m.safetensors")
        tc.write_safetensors(path, {"f32": (x, "F32"), "f16": (x, "F16"), "bf16": (x, "BF16"),
                                    "f64": (x, "F64")})
        t = rd.read_safetensors(path)
        np.testing.assert_array_equal(t["f32"], x.astype(np.float64))
        np.testing.assert_array_equal(t["f64"], x.astype(np.float64))
        np.testing.assert_array_equal(t["f16"], x.astype(np.float16).astype(np.float64))
        bf = tc.float32_to_bf16_bits(x)
        np.testing.assert_array_equal(t["bf16"], rd.bf16_bits_to_float32(bf).astype(np.float64))
        self.assertLess(np.max(np.abs(t["bf16"] - x)), np.max(np.abs(x)) * 2 ** -8)

    def test_rejects_damaged_files(self):
        d = tmpdir(self)
        path = os.path.join(d, "bad.safetensors")
        cases = [
            b"\x05\x00",  # too short
            struct.pack("<Q", 1000) + b"{}",  # header longer than the file
            struct.pack("<Q", 3) + b"{x}",  # not JSON
        ]
        hdr = json.dumps({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 8]}}).encode()
        cases.append(struct.pack("<Q", len(hdr)) + hdr + b"\0" * 8)  # size != 4 * 4 bytes
        hdr = json.dumps({"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}).encode()
        cases.append(struct.pack("<Q", len(hdr)) + hdr + b"\0" * 8)  # truncated data
        hdr = json.dumps({"a": {"dtype": "Q4", "shape": [4], "data_offsets": [0, 2]}}).encode()
        cases.append(struct.pack("<Q", len(hdr)) + hdr + b"\0" * 2)  # unknown dtype
        for raw in cases:
            with open(path, "wb") as f:
                f.write(raw)
            with self.assertRaises(rd.CheckpointError, msg=repr(raw[:40])):
                rd.read_safetensors(path)

    def test_sharded_checkpoint_equals_single_file(self):
        rng = np.random.default_rng(2)
        cfg = tc.llama_config(hidden=16, layers=2, heads=4, kv_heads=2, intermediate=24,
                              vocab=300)
        t = tc.llama_tensors(cfg, rng)
        one, many = tmpdir(self), tmpdir(self)
        tc.write_checkpoint(one, cfg, t, "F32", shards=1)
        tc.write_checkpoint(many, cfg, t, "F32", shards=3)
        self.assertTrue(os.path.exists(os.path.join(many, "model-00003-of-00003.safetensors")))
        a, b = rd.load_state_dict(one), rd.load_state_dict(many)
        self.assertEqual(sorted(a), sorted(b))
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])
        ids = [5, 17, 250, 3]
        np.testing.assert_array_equal(rd.load_model(one).forward(ids),
                                      rd.load_model(many).forward(ids))

    def test_index_with_path_traversal_is_refused(self):
        d = tmpdir(self)
        with open(os.path.join(d, "model.safetensors.index.json"), "w") as f:
            json.dump({"weight_map": {"a": "../evil.safetensors"}}, f)
        with self.assertRaises(rd.CheckpointError):
            rd.load_state_dict(d)


class BuildingBlocksTest(unittest.TestCase):

    def test_layer_norm_hand_values(self):
        got = rd.layer_norm(np.array([1.0, 2.0, 3.0]), np.ones(3), np.zeros(3), 0.0)
        s = math.sqrt(2.0 / 3.0)  # biased std of 1, 2, 3
        np.testing.assert_allclose(got, [-1 / s, 0.0, 1 / s], rtol=0, atol=1e-15)
        got = rd.layer_norm(np.array([1.0, 3.0]), np.array([2.0, 3.0]), np.array([0.5, -1.0]),
                            0.0)
        np.testing.assert_allclose(got, [-1.5, 2.0], atol=1e-15)

    def test_rms_norm_hand_values(self):
        got = rd.rms_norm(np.array([3.0, 4.0]), np.array([1.0, 2.0]), 0.0)
        r = math.sqrt(12.5)
        np.testing.assert_allclose(got, [3 / r, 8 / r], atol=1e-15)
        got = rd.rms_norm(np.array([3.0, 4.0]), np.ones(2), 1.5)
        np.testing.assert_allclose(got, [3 / math.sqrt(14), 4 / math.sqrt(14)], atol=1e-15)

    def test_activations_hand_values(self):
        # torch.nn.functional.gelu(tensor(1.), approximate="tanh") = 0.8411920070648193 (fp32)
        self.assertAlmostEqual(float(rd.gelu_tanh(np.array(1.0))), 0.8411920070648193, places=7)
        self.assertAlmostEqual(float(rd.gelu_tanh(np.array(-1.0))), -0.15880800939172324,
                               places=7)
        self.assertEqual(float(rd.gelu_tanh(np.array(0.0))), 0.0)
        self.assertAlmostEqual(float(rd.gelu_erf(np.array(1.0))), 0.8413447460685429, places=12)
        self.assertAlmostEqual(float(rd.silu(np.array(1.0))), 0.7310585786300049, places=12)
        self.assertAlmostEqual(float(rd.silu(np.array(-2.0))), -0.2384058440442351, places=12)

    def test_causal_attention_hand_case(self):
        # one head, D=1, q=k=0 -> uniform weights over the visible prefix
        q = np.zeros((1, 3, 1))
        v = np.array([[[3.0], [6.0], [9.0]]])
        out = rd.causal_attention(q, q, v, 1.0)
        np.testing.assert_allclose(out[:, 0], [3.0, 4.5, 6.0], atol=1e-15)
        # scores 0 and ln 3 at t=1 -> weights 1/4, 3/4
        q = np.array([[[0.0], [1.0], [0.0]]])
        k = np.array([[[0.0], [math.log(3.0)], [0.0]]])
        out = rd.causal_attention(q, k, v, 1.0)
        self.assertAlmostEqual(out[1, 0], 0.25 * 3 + 0.75 * 6, places=13)

    def test_gqa_equals_mha_with_repeated_kv_heads(self):
        rng = np.random.default_rng(3)
        q = rng.standard_normal((6, 5, 4))
        k = rng.standard_normal((2, 5, 4))
        v = rng.standard_normal((2, 5, 4))
        gqa = rd.causal_attention(q, k, v, 0.5)
        k_rep = np.stack([k[0], k[0], k[0], k[1], k[1], k[1]])
        v_rep = np.stack([v[0], v[0], v[0], v[1], v[1], v[1]])
        np.testing.assert_allclose(gqa, rd.causal_attention(q, k_rep, v_rep, 0.5), atol=1e-14)
        # and not the interleaved mapping (head h -> kv h % 2)
        k_bad = np.stack([k[h % 2] for h in range(6)])
        v_bad = np.stack([v[h % 2] for h in range(6)])
        self.assertGreater(np.max(np.abs(gqa - rd.causal_attention(q, k_bad, v_bad, 0.5))), 1e-3)


class RopeTest(unittest.TestCase):

    def test_inv_freq_default(self):
        np.testing.assert_allclose(rd.rope_inv_freq(8, 10000.0), [1, 0.1, 0.01, 0.001],
                                   rtol=1e-15)

    def test_rotate_half_convention_hand_case(self):
        inv = rd.rope_inv_freq(4, 100.0)  # [1, 0.1]
        np.testing.assert_allclose(inv, [1.0, 0.1], rtol=1e-15)
        x = np.array([[1.0, 2.0, 3.0, 4.0]])  # [T=1, D=4]
        got = rd.apply_rope(x, [1], inv)[0]
        c1, s1, c2, s2 = math.cos(1), math.sin(1), math.cos(0.1), math.sin(0.1)
        want = [1 * c1 - 3 * s1, 2 * c2 - 4 * s2, 3 * c1 + 1 * s1, 4 * c2 + 2 * s2]
        np.testing.assert_allclose(got, want, atol=1e-15)
        # position 0 is the identity
        np.testing.assert_allclose(rd.apply_rope(x, [0], inv), x, atol=0)

    def test_rotation_preserves_norms(self):
        rng = np.random.default_rng(4)
        inv = rd.rope_inv_freq(16, 10000.0)
        x = rng.standard_normal((3, 40, 16))
        y = rd.apply_rope(x, np.arange(40), inv)
        np.testing.assert_allclose(np.linalg.norm(y, axis=-1), np.linalg.norm(x, axis=-1),
                                   rtol=1e-13)
        # and the pair (i, i + D/2) keeps its own norm: a rotation within each pair
        n_pairs_x = x[..., :8] ** 2 + x[..., 8:] ** 2
        n_pairs_y = y[..., :8] ** 2 + y[..., 8:] ** 2
        np.testing.assert_allclose(n_pairs_y, n_pairs_x, rtol=1e-12)

    def test_dot_products_depend_only_on_relative_position(self):
        rng = np.random.default_rng(5)
        for scaling in (None, {"rope_type": "linear", "factor": 4.0},
                        {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                         "high_freq_factor": 4.0, "original_max_position_embeddings": 64}):
            inv = rd.rope_inv_freq(32, 10000.0, scaling)
            q = rng.standard_normal((1, 32))
            k = rng.standard_normal((1, 32))
            base = None
            for shift in (0, 1, 7, 100):
                m, n = 13 + shift, 5 + shift
                dot = float(rd.apply_rope(q, [m], inv)[0] @ rd.apply_rope(k, [n], inv)[0])
                if base is None:
                    base = dot
                self.assertAlmostEqual(dot, base, places=11)
            other = float(rd.apply_rope(q, [14], inv)[0] @ rd.apply_rope(k, [5], inv)[0])
            self.assertGreater(abs(other - base), 1e-6)

    def test_linear_scaling_divides_positions(self):
        rng = np.random.default_rng(6)
        x = rng.standard_normal((7, 8))
        inv = rd.rope_inv_freq(8, 500.0)
        inv_lin = rd.rope_inv_freq(8, 500.0, {"type": "linear", "factor": 2.5})
        np.testing.assert_allclose(inv_lin, inv / 2.5, rtol=1e-15)
        np.testing.assert_allclose(rd.apply_rope(x, np.arange(7), inv_lin),
                                   rd.apply_rope(x, np.arange(7) / 2.5, inv), atol=1e-14)

    def test_llama3_scaling_hand_case(self):
        scaling = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                   "high_freq_factor": 4.0, "original_max_position_embeddings": 1024}
        got = rd.rope_inv_freq(8, 10000.0, scaling)
        # wavelengths 2pi/inv: 6.28, 62.8 (< 1024/4 = 256: unchanged), 628.3 (between: smoothed),
        # 6283 (> 1024/1: divided by the factor)
        wl = 2 * math.pi / 0.01
        smooth = (1024 / wl - 1.0) / (4.0 - 1.0)
        want = [1.0, 0.1, (1 - smooth) * 0.01 / 8 + smooth * 0.01, 0.001 / 8]
        np.testing.assert_allclose(got, want, rtol=1e-14)
        self.assertTrue(0 < smooth < 1)

    def test_unknown_scaling_is_refused(self):
        with self.assertRaises(rd.CheckpointError):
            rd.rope_inv_freq(8, 10000.0, {"rope_type": "yarn", "factor": 2.0})


class HandSetModelTest(unittest.TestCase):

    def test_gpt2_one_layer_biases_only_conv1d_orientation(self):
        # n_embd 2, 1 head, all layer weights zero except c_attn's v bias, attn c_proj weight P
        # and the MLP c_fc bias / c_proj weight; layer_norm_epsilon 0.
        cfg = tc.gpt2_config(hidden=2, layers=1, heads=1, vocab=2, max_pos=4, inner=2,
                             layer_norm_epsilon=0.0)
        z = np.zeros
        t = {"wte.weight": np.array([[2.0, 0.0], [0.0, 1.0]]), "wpe.weight": z((4, 2)),
             "h.0.ln_1.weight": np.ones(2), "h.0.ln_1.bias": z(2),
             "h.0.attn.c_attn.weight": z((2, 6)),
             "h.0.attn.c_attn.bias": np.array([0, 0, 0, 0, 1.0, 2.0]),  # q | k | v = [1, 2]
             "h.0.attn.c_proj.weight": np.array([[0.0, 1.0], [0.0, 0.0]]),  # [in, out]
             "h.0.attn.c_proj.bias": z(2),
             "h.0.ln_2.weight": np.ones(2), "h.0.ln_2.bias": z(2),
             "h.0.mlp.c_fc.weight": z((2, 2)), "h.0.mlp.c_fc.bias": np.array([1.0, -1.0]),
             "h.0.mlp.c_proj.weight": np.array([[1.0, 0.0], [0.0, 0.0]]),
             "h.0.mlp.c_proj.bias": z(2),
             "ln_f.weight": np.ones(2), "ln_f.bias": np.array([0.5, 0.0])}
        m = rd.build_model(cfg, t)
        # token 1: x = [0, 1]; attention = v = [1, 2] -> [1, 2] @ P = [0, 1]; MLP adds
        # [gelu(1), 0] = [0.84, 0] -> h = [0.84, 2]; LayerNorm of 2 values = [-1, 1];
        # ln_f -> [-0.5, 1]; logits = that @ wte^T = [-1, 1]. (P transposed would give
        # h = [2.84, 1] -> [1, -1] -> [1.5, -1] -> logits [3, -1].)
        np.testing.assert_allclose(m.forward([1])[0], [-1.0, 1.0], atol=1e-12)
        # token 0: x = [2, 0] -> h = [2.84, 1] -> [1, -1] -> [1.5, -1] -> logits [3, -1]
        np.testing.assert_allclose(m.forward([0])[0], [3.0, -1.0], atol=1e-12)

    def test_llama_one_layer_single_token_linear_orientation(self):
        cfg = tc.llama_config(hidden=2, layers=1, heads=1, kv_heads=1, intermediate=3, vocab=2,
                              rms_norm_eps=0.0)
        z = np.zeros
        t = {"model.embed_tokens.weight": np.array([[3.0, 4.0], [1.0, 0.0]]),
             "model.layers.0.input_layernorm.weight": np.ones(2),
             "model.layers.0.self_attn.q_proj.weight": np.array([[1.0, 2.0], [3.0, 4.0]]),
             "model.layers.0.self_attn.k_proj.weight": np.array([[5.0, 6.0], [7.0, 8.0]]),
             "model.layers.0.self_attn.v_proj.weight": np.array([[0.0, 1.0], [0.0, 0.0]]),
             "model.layers.0.self_attn.o_proj.weight": np.eye(2),
             "model.layers.0.post_attention_layernorm.weight": np.ones(2),
             "model.layers.0.mlp.gate_proj.weight": z((3, 2)),
             "model.layers.0.mlp.up_proj.weight": np.ones((3, 2)),
             "model.layers.0.mlp.down_proj.weight": np.ones((2, 3)),
             "model.norm.weight": np.ones(2)}
        m = rd.build_model(cfg, t)
        # token 0: a = [3, 4]/sqrt(12.5); a single visible position -> attention = v
        # = W_v a = [a1, 0] (nn.Linear [out, in]); x = [3 + a1, 4]; the MLP's gate is 0 and
        # silu(0) = 0; final RMSNorm; tied head -> logits = [3 n0 + 4 n1, n0].
        a1 = 4 / math.sqrt(12.5)
        x = [3 + a1, 4.0]
        r = math.sqrt((x[0] ** 2 + x[1] ** 2) / 2)
        n = [x[0] / r, x[1] / r]
        np.testing.assert_allclose(m.forward([0])[0], [3 * n[0] + 4 * n[1], n[0]], atol=1e-12)

    def test_llama_untied_head_and_biases(self):
        rng = np.random.default_rng(7)
        cfg = tc.llama_config(hidden=8, layers=1, heads=2, kv_heads=1, intermediate=12, vocab=300,
                              tied=False, attention_bias=True)
        t = tc.llama_tensors(cfg, rng, std=0.3, untied=True)
        m = rd.build_model(cfg, as64(t))
        self.assertFalse(np.array_equal(m.lm_head, m.embed))
        np.testing.assert_array_equal(m.lm_head, t["lm_head.weight"].astype(np.float64))
        # the attention biases matter
        t2 = dict(t)
        t2["model.layers.0.self_attn.o_proj.bias"] = t["model.layers.0.self_attn.o_proj.bias"] + 1
        self.assertGreater(np.max(np.abs(rd.build_model(cfg, as64(t2)).forward([1, 2])
                                         - m.forward([1, 2]))), 1e-3)
        # missing lm_head while untied is an error naming the tensor
        del t["lm_head.weight"]
        with self.assertRaisesRegex(rd.CheckpointError, "lm_head"):
            rd.build_model(cfg, t)


class WholeModelTest(unittest.TestCase):

    def test_llama_matches_naive_loops(self):
        rng = np.random.default_rng(8)
        cfg = tc.llama_config(hidden=8, layers=2, heads=2, kv_heads=1, intermediate=12, vocab=300)
        t = as64(tc.llama_tensors(cfg, rng, std=0.4))
        ids = [4, 200, 17, 17, 299, 0]
        got = rd.build_model(cfg, t).forward(ids)
        want = np.array(naive_llama(cfg, t, ids))
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-11)

    def test_gpt2_matches_naive_loops(self):
        rng = np.random.default_rng(9)
        cfg = tc.gpt2_config(hidden=8, layers=2, heads=2, vocab=300, max_pos=16)
        t = as64(tc.gpt2_tensors(cfg, rng, std=0.4))
        ids = [4, 200, 17, 17, 299, 0]
        got = rd.build_model(cfg, t).forward(ids)
        want = np.array(naive_gpt2(cfg, t, ids))
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-11)

    def test_gpt2_name_prefix_and_untied_head(self):
        rng = np.random.default_rng(10)
        cfg = tc.gpt2_config(hidden=8, layers=1, heads=2, vocab=300, max_pos=16)
        bare = tc.gpt2_tensors(cfg, rng, prefix="")
        prefixed = {("transformer." + k): v for k, v in bare.items()}
        ids = [1, 2, 3]
        np.testing.assert_array_equal(rd.build_model(cfg, as64(bare)).forward(ids),
                                      rd.build_model(cfg, as64(prefixed)).forward(ids))
        untied = dict(cfg, tie_word_embeddings=False)
        head = rng.standard_normal((300, 8))
        m = rd.build_model(untied, dict(as64(bare), **{"lm_head.weight": head}))
        np.testing.assert_array_equal(m.lm_head, head)

    def test_gqa_model_equals_mha_model_with_repeated_kv_weights(self):
        rng = np.random.default_rng(11)
        cfg = tc.llama_config(hidden=16, layers=2, heads=4, kv_heads=2, intermediate=24,
                              vocab=300)
        t = as64(tc.llama_tensors(cfg, rng, std=0.3))
        mha_cfg = dict(cfg, num_key_value_heads=4)
        mha = dict(t)
        hd = 4
        for i in range(2):
            for n in ("k_proj", "v_proj"):
                w = t[f"model.layers.{i}.self_attn.{n}.weight"]  # [2*hd, 16]
                blocks = [w[j * hd:(j + 1) * hd] for j in (0, 0, 1, 1)]
                mha[f"model.layers.{i}.self_attn.{n}.weight"] = np.concatenate(blocks)
        ids = [3, 9, 27, 81, 243, 7]
        np.testing.assert_allclose(rd.build_model(cfg, t).forward(ids),
                                   rd.build_model(mha_cfg, mha).forward(ids), atol=1e-12)

    def test_causal_masking(self):
        rng = np.random.default_rng(12)
        models = [
            rd.build_model(tc.llama_config(hidden=16, layers=2, heads=4, kv_heads=2,
                                           intermediate=24, vocab=300),
                           as64(tc.llama_tensors(tc.llama_config(hidden=16, layers=2, heads=4,
                                                                 kv_heads=2, intermediate=24,
                                                                 vocab=300), rng))),
            rd.build_model(tc.gpt2_config(hidden=16, layers=2, heads=4, vocab=300, max_pos=32),
                           as64(tc.gpt2_tensors(tc.gpt2_config(hidden=16, layers=2, heads=4,
                                                               vocab=300, max_pos=32), rng))),
        ]
        for m in models:
            a = m.forward([5, 6, 7, 8, 9, 10])
            b = m.forward([5, 6, 7, 100, 200, 250])
            np.testing.assert_allclose(a[:3], b[:3], atol=1e-13)
            self.assertGreater(np.max(np.abs(a[3:] - b[3:])), 1e-3)
            # a prefix alone gives the same logits as inside the longer sequence
            np.testing.assert_allclose(m.forward([5, 6, 7])[-1], a[2], atol=1e-13)

    def test_low_precision_checkpoints_equal_their_rounded_f32_weights(self):
        rng = np.random.default_rng(13)
        cfg = tc.llama_config(hidden=16, layers=1, heads=4, kv_heads=2, intermediate=24,
                              vocab=300)
        t = tc.llama_tensors(cfg, rng)
        for dtype, rounder in (
                ("BF16", lambda a: rd.bf16_bits_to_float32(tc.float32_to_bf16_bits(a))),
                ("F16", lambda a: a.astype(np.float16).astype(np.float32))):
            low, ref = tmpdir(self), tmpdir(self)
            tc.write_checkpoint(low, cfg, t, dtype)
            tc.write_checkpoint(ref, cfg, {k: rounder(v) for k, v in t.items()}, "F32")
            ids = [1, 50, 299]
            np.testing.assert_array_equal(rd.load_model(low).forward(ids),
                                          rd.load_model(ref).forward(ids))

    def test_config_errors_name_the_problem(self):
        rng = np.random.default_rng(14)
        cfg = tc.llama_config(hidden=8, layers=1, heads=2, kv_heads=1, intermediate=12, vocab=300)
        t = tc.llama_tensors(cfg, rng)
        bad = dict(t)
        del bad["model.layers.0.mlp.up_proj.weight"]
        with self.assertRaisesRegex(rd.CheckpointError, "up_proj"):
            rd.build_model(cfg, bad)
        bad = dict(t, **{"model.layers.0.mlp.up_proj.weight": np.zeros((8, 12))})
        with self.assertRaisesRegex(rd.CheckpointError, r"up_proj.*\[8, 12\].*\[12, 8\]"):
            rd.build_model(cfg, bad)
        with self.assertRaisesRegex(rd.CheckpointError, "mamba"):
            rd.build_model(dict(cfg, model_type="mamba"), t)
        with self.assertRaisesRegex(rd.CheckpointError, "300"):
            rd.greedy(rd.build_model(cfg, t), [1, 300], 1)


class CliTest(unittest.TestCase):

    def _run(self, *args):
        return subprocess.run([sys.executable, os.path.join(HERE, "reference_decoder.py")]
                              + list(args), capture_output=True, text=True, timeout=600)

    def test_cli_rows_steps_and_greedy_consistency(self):
        d = tmpdir(self)
        make_checkpoint(["llama", d, "--seed", "3"])
        prompt = [(i * 37 + 5) % 2048 for i in range(40)]
        p = self._run(d, "--prompt-ids", ",".join(map(str, prompt)), "--prompt-ids", "1,2,3",
                      "--max-new-tokens", "16")
        self.assertEqual(p.returncode, 0, p.stderr)
        doc = json.loads(p.stdout)
        self.assertEqual(list(doc), ["rows"])
        self.assertEqual(len(doc["rows"]), 2)
        model = rd.load_model(d)
        for row, pr in zip(doc["rows"], [prompt, [1, 2, 3]]):
            self.assertEqual(row["prompt_ids"], pr)
            self.assertEqual(len(row["generated_ids"]), 16)
            self.assertEqual(len(row["logits"]), 16)
            for k, logits in enumerate(row["logits"]):
                self.assertEqual(len(logits), 2048)
                self.assertEqual(row["generated_ids"][k], int(np.argmax(logits)))
            # step k equals a fresh forward over prompt + generated[:k] (JSON keeps all digits)
            for k in (0, 7, 15):
                want = model.forward(pr + row["generated_ids"][:k])[-1]
                np.testing.assert_array_equal(np.array(row["logits"][k]), want)

    def test_cli_gpt2_sharded_bf16(self):
        d = tmpdir(self)
        make_checkpoint(["gpt2", d, "--dtype", "BF16", "--shards", "2", "--gpt2-prefix", "transformer."])
        p = self._run(d, "--prompt-ids", "7", "--max-new-tokens", "3")
        self.assertEqual(p.returncode, 0, p.stderr)
        row = json.loads(p.stdout)["rows"][0]
        self.assertEqual(len(row["generated_ids"]), 3)

    def test_cli_errors(self):
        d = tmpdir(self)
        p = self._run(d, "--prompt-ids", "1", "--max-new-tokens", "1")
        self.assertEqual(p.returncode, 2)
        self.assertIn("config.json", p.stderr)
        make_checkpoint(["llama", d, "--vocab", "300", "--hidden", "8", "--heads", "2", "--kv-heads", "1",
                 "--layers", "1", "--intermediate", "8"])
        p = self._run(d, "--prompt-ids", "1,999", "--max-new-tokens", "1")
        self.assertEqual(p.returncode, 2)
        self.assertIn("999", p.stderr)
        p = self._run(d, "--prompt-ids", "1,x", "--max-new-tokens", "1")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--prompt-ids", p.stderr)


class ProjectCheckpointTest(unittest.TestCase):
    """Loads checkpoints from the project's own generator (`bin/jneuron testing tiny-model`) when it
    is built; skipped otherwise. Checks the reference reads that format (names, dtypes, shards,
    rope scaling, head_dim) and behaves sanely; the numbers themselves are checked elsewhere."""

    JNEURON = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "bin", "jneuron"))

    def _generate(self, *args):
        d = os.path.join(tmpdir(self), "m")
        try:
            p = subprocess.run([self.JNEURON, "testing", "tiny-model"] + list(args) + [d],
                               capture_output=True, text=True, timeout=300)
        except OSError as e:
            self.skipTest(f"bin/jneuron not runnable: {e}")
        if p.returncode != 0:
            self.skipTest("bin/jneuron testing tiny-model unavailable: "
                          + (p.stderr.strip().splitlines() or ["?"])[-1][:200])
        return d

    def test_generated_checkpoints_load_and_are_causal(self):
        variants = [("llama",), ("gpt2",), ("llama", "--kv-heads", "1", "--dtype", "BF16"),
                    ("llama", "--rope-scaling", "llama3", "--untied"),
                    ("llama", "--head-dim", "16", "--shards", "2"), ("gpt2", "--dtype", "F16")]
        for v in variants:
            with self.subTest(variant=" ".join(v)):
                m = rd.load_model(self._generate(*v))
                ids = [5, 6, 7, 8, 9, 10]
                a = m.forward(ids)
                self.assertEqual(a.shape, (6, m.vocab))
                self.assertTrue(np.all(np.isfinite(a)))
                b = m.forward(ids[:3] + [1, 2, 3])
                np.testing.assert_allclose(a[:3], b[:3], atol=1e-12)


class TorchComparisonTest(unittest.TestCase):
    """Only when torch and transformers happen to be importable (they usually are not)."""

    def test_against_transformers(self):
        try:
            import torch  # noqa: F401
            import transformers
        except Exception:
            self.skipTest("torch/transformers not importable by this interpreter")
        for arch in ("llama", "gpt2"):
            d = tmpdir(self)
            make_checkpoint([arch, d, "--vocab", "512", "--seed", "5"])
            hf = transformers.AutoModelForCausalLM.from_pretrained(d, torch_dtype=torch.float64)
            ids = [3, 14, 15, 92, 65, 35]
            with torch.no_grad():
                want = hf(torch.tensor([ids])).logits[0].numpy()
            got = rd.load_model(d).forward(ids)
            np.testing.assert_allclose(got, want, atol=1e-8)


if __name__ == "__main__":
    unittest.main()
