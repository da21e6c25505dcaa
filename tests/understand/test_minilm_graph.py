"""The hand-written ONNX graph against a NumPy BERT encoder, on a tiny random model."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.special import erf

from broadsheet.understand.minilm_graph import encoder_graph

HIDDEN, HEADS, INNER, LAYERS = 8, 2, 16, 2
Weights = dict[str, NDArray[np.float32]]


def tiny_weights(seed: int = 3) -> Weights:
    rng = np.random.default_rng(seed)
    shapes = {
        "attention.self.query": (HIDDEN, HIDDEN),
        "attention.self.key": (HIDDEN, HIDDEN),
        "attention.self.value": (HIDDEN, HIDDEN),
        "attention.output.dense": (HIDDEN, HIDDEN),
        "intermediate.dense": (INNER, HIDDEN),
        "output.dense": (HIDDEN, INNER),
    }
    w: Weights = {}
    for i in range(LAYERS):
        p = f"encoder.layer.{i}."
        for name, shape in shapes.items():
            w[p + name + ".weight"] = rng.normal(0, 0.5, shape).astype(np.float32)
            w[p + name + ".bias"] = rng.normal(0, 0.1, shape[0]).astype(np.float32)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            w[p + norm + ".weight"] = rng.normal(1, 0.1, HIDDEN).astype(np.float32)
            w[p + norm + ".bias"] = rng.normal(0, 0.1, HIDDEN).astype(np.float32)
    return w


def layer_norm(
    x: NDArray[np.float64], g: NDArray[np.float32], b: NDArray[np.float32]
) -> NDArray[np.float64]:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * g + b


def reference(
    w: Weights, x: NDArray[np.float32], mask_bias: NDArray[np.float32]
) -> NDArray[np.float64]:
    """BERT's encoder layers as written in the paper, in float64, one loop per head."""
    h = x.astype(np.float64)
    width = HIDDEN // HEADS
    for i in range(LAYERS):
        p = f"encoder.layer.{i}."

        def lin(v: NDArray[np.float64], name: str, p: str = p) -> NDArray[np.float64]:
            return v @ w[p + name + ".weight"].T.astype(np.float64) + w[p + name + ".bias"]

        q, k, v = (lin(h, f"attention.self.{n}") for n in ("query", "key", "value"))
        context = np.zeros_like(h)
        for head in range(HEADS):
            cols = slice(head * width, (head + 1) * width)
            scores = q[..., cols] @ np.swapaxes(k[..., cols], -1, -2) / np.sqrt(width)
            scores = scores + mask_bias[:, 0]
            probs = np.exp(scores - scores.max(-1, keepdims=True))
            probs /= probs.sum(-1, keepdims=True)
            context[..., cols] = probs @ v[..., cols]
        h = layer_norm(
            h + lin(context, "attention.output.dense"),
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        inner = lin(h, "intermediate.dense")
        inner = 0.5 * inner * (1.0 + erf(inner / np.sqrt(2.0)))
        h = layer_norm(
            h + lin(inner, "output.dense"),
            w[p + "output.LayerNorm.weight"],
            w[p + "output.LayerNorm.bias"],
        )
    return h


def run_graph(
    w: Weights, x: NDArray[np.float32], mask_bias: NDArray[np.float32]
) -> NDArray[np.float32]:
    import onnxruntime as ort

    graph = encoder_graph(w, heads=HEADS)
    session = ort.InferenceSession(graph.SerializeToString(), providers=["CPUExecutionProvider"])
    out: NDArray[np.float32] = session.run(None, {"x": x, "mask_bias": mask_bias})[0]
    return out


def test_the_graph_computes_the_encoder_layers() -> None:
    w = tiny_weights()
    x = np.random.default_rng(5).normal(0, 1, (2, 5, HIDDEN)).astype(np.float32)
    mask_bias = np.zeros((2, 1, 1, 5), dtype=np.float32)
    mask_bias[1, ..., 3:] = -1e9  # the second text has three tokens and two of padding
    np.testing.assert_allclose(run_graph(w, x, mask_bias), reference(w, x, mask_bias), atol=1e-4)


def test_padding_does_not_change_the_real_tokens() -> None:
    w = tiny_weights()
    x = np.random.default_rng(8).normal(0, 1, (1, 5, HIDDEN)).astype(np.float32)
    padded = np.zeros((1, 1, 1, 5), dtype=np.float32)
    padded[..., 3:] = -1e9
    short = run_graph(w, x[:, :3], np.zeros((1, 1, 1, 3), dtype=np.float32))
    np.testing.assert_allclose(run_graph(w, x, padded)[:, :3], short, atol=1e-5)
