#!/usr/bin/python3
"""Builds the small ONNX models that the tests, the samples and the benchmarks use.

This script is the source of truth for every .onnx and .csv file beside it and for the server's sample model.
Run it with Debian's python3-onnx (onnx 1.12) and python3-numpy:

    /usr/bin/python3 tests/models/make_models.py

`--bench DIR` writes only the benchmarks' larger models into DIR instead (bench/run.sh calls it; they are generated
at bench time, not kept beside the test models): mlp_wide.onnx, 256 -> 1024 -> 1024 -> 10 (FP32, ReLU).

Every model is deterministic (fixed seeds), so running it again reproduces the same files.
"""
import csv
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLE_DIR = os.path.join(HERE, "..", "..", "src", "ModelFunctions.Server", "Sample")
OPSET = [helper.make_opsetid("", 17)]
IRIS_FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]


def save(model, path, producer="modelfunctions-tests"):
    model.producer_name = producer
    model.producer_version = "1.0"
    onnx.checker.check_model(model)
    onnx.save(model, path)


def iris_like_data(rng, rows_per_class):
    """Synthetic measurements shaped like the iris data set: three classes, four positive features."""
    means = np.array([[5.0, 3.4, 1.5, 0.25], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.5, 2.0]])
    stds = np.array([[0.35, 0.38, 0.17, 0.10], [0.52, 0.31, 0.47, 0.20], [0.64, 0.32, 0.55, 0.27]])
    xs, ys = [], []
    for label in range(3):
        xs.append(rng.normal(means[label], stds[label], size=(rows_per_class, 4)))
        ys.append(np.full(rows_per_class, label))
    x = np.clip(np.concatenate(xs), 0.05, None).round(2)
    return x.astype(np.float32), np.concatenate(ys)


def fit_softmax(x, y, classes, steps=3000, lr=0.1):
    """Multinomial logistic regression by gradient descent on standardized features."""
    mean, std = x.mean(axis=0), x.std(axis=0)
    z = (x - mean) / std
    w = np.zeros((x.shape[1], classes))
    b = np.zeros(classes)
    onehot = np.eye(classes)[y]
    for _ in range(steps):
        logits = z @ w + b
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        grad = p - onehot
        w -= lr * z.T @ grad / len(x)
        b -= lr * grad.mean(axis=0)
    # Fold the standardization into the weights: (x - mean) / std @ w + b.
    w_raw = w / std[:, None]
    b_raw = b - (mean / std) @ w
    return w_raw.astype(np.float32), b_raw.astype(np.float32)


def iris_classifier(rng):
    x, y = iris_like_data(rng, 200)
    w, b = fit_softmax(x, y, 3)
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["features", "W"], ["logits_raw"]),
            helper.make_node("Add", ["logits_raw", "B"], ["logits"]),
            helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
            helper.make_node("ArgMax", ["probabilities"], ["label_2d"], axis=1, keepdims=1),
            helper.make_node("Squeeze", ["label_2d", "axis1"], ["label"]),
        ],
        "iris_classifier",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", 4])],
        [
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", 3]),
            helper.make_tensor_value_info("label", TensorProto.INT64, ["batch"]),
        ],
        [
            numpy_helper.from_array(w, "W"),
            numpy_helper.from_array(b, "B"),
            numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
        ],
    )
    model = helper.make_model(graph, opset_imports=OPSET)
    model.doc_string = "Softmax regression over four flower measurements (synthetic iris-like data)."
    helper.set_model_props(model, {"classes": "setosa,versicolor,virginica", "features": ",".join(IRIS_FEATURES)})
    return model, x, y


def write_reference_csv(path, x):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(IRIS_FEATURES)
        for row in x:
            writer.writerow([f"{v:.2f}" for v in row])


def multi_input():
    """Several inputs of different types: y = where(mask, x * scale + offset, 0); count = number of true mask cells."""
    nodes = [
        helper.make_node("Cast", ["scale"], ["scale_f"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["offset"], ["offset_f"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["x", "scale_f"], ["scaled"]),
        helper.make_node("Add", ["scaled", "offset_f"], ["shifted"]),
        helper.make_node("Where", ["mask", "shifted", "zero"], ["y"]),
        helper.make_node("Cast", ["mask"], ["mask_i"], to=TensorProto.INT64),
        helper.make_node("ReduceSum", ["mask_i"], ["count"], keepdims=0),
    ]
    graph = helper.make_graph(
        nodes,
        "multi_input",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3]),
            helper.make_tensor_value_info("scale", TensorProto.DOUBLE, [1]),
            helper.make_tensor_value_info("offset", TensorProto.INT32, ["batch", 3]),
            helper.make_tensor_value_info("mask", TensorProto.BOOL, ["batch", 3]),
        ],
        [
            helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 3]),
            helper.make_tensor_value_info("count", TensorProto.INT64, []),
        ],
        [numpy_helper.from_array(np.array(0, dtype=np.float32), "zero")],
    )
    return helper.make_model(graph, opset_imports=OPSET)


IDENTITY_TYPES = [
    ("bool", TensorProto.BOOL), ("uint8", TensorProto.UINT8), ("uint16", TensorProto.UINT16),
    ("uint32", TensorProto.UINT32), ("uint64", TensorProto.UINT64), ("int8", TensorProto.INT8),
    ("int16", TensorProto.INT16), ("int32", TensorProto.INT32), ("int64", TensorProto.INT64),
    ("fp16", TensorProto.FLOAT16), ("fp32", TensorProto.FLOAT), ("fp64", TensorProto.DOUBLE),
    ("bf16", TensorProto.BFLOAT16), ("bytes", TensorProto.STRING),
]


def identity_all_types():
    """One Identity per element type: in_<type> -> out_<type>, every dimension dynamic."""
    nodes, inputs, outputs = [], [], []
    for name, elem in IDENTITY_TYPES:
        nodes.append(helper.make_node("Identity", [f"in_{name}"], [f"out_{name}"]))
        inputs.append(helper.make_tensor_value_info(f"in_{name}", elem, ["n", "m"]))
        outputs.append(helper.make_tensor_value_info(f"out_{name}", elem, ["n", "m"]))
    graph = helper.make_graph(nodes, "identity_all_types", inputs, outputs)
    return helper.make_model(graph, opset_imports=OPSET)


def string_input():
    """Strings in and out: text [n] -> echo [n] (the same strings) and is_yes [n] (text == "yes")."""
    graph = helper.make_graph(
        [
            helper.make_node("Identity", ["text"], ["echo"]),
            helper.make_node("Equal", ["text", "yes"], ["is_yes"]),
        ],
        "string_input",
        [helper.make_tensor_value_info("text", TensorProto.STRING, ["n"])],
        [
            helper.make_tensor_value_info("echo", TensorProto.STRING, ["n"]),
            helper.make_tensor_value_info("is_yes", TensorProto.BOOL, ["n"]),
        ],
        [helper.make_tensor("yes", TensorProto.STRING, [], [b"yes"])],
    )
    # String equality needs opset 19.
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)])


def mlp(rng, inputs=256, hidden=512, layers=3, outputs=10):
    """A larger multi-layer perceptron for benchmarks: x [batch, 256] -> y [batch, 10]."""
    nodes, inits = [], []
    prev, width = "x", inputs
    for i in range(layers):
        w = (rng.standard_normal((width, hidden)) * np.sqrt(2.0 / width)).astype(np.float32)
        b = np.zeros(hidden, dtype=np.float32)
        inits += [numpy_helper.from_array(w, f"W{i}"), numpy_helper.from_array(b, f"B{i}")]
        nodes += [
            helper.make_node("MatMul", [prev, f"W{i}"], [f"mm{i}"]),
            helper.make_node("Add", [f"mm{i}", f"B{i}"], [f"pre{i}"]),
            helper.make_node("Relu", [f"pre{i}"], [f"h{i}"]),
        ]
        prev, width = f"h{i}", hidden
    w = (rng.standard_normal((width, outputs)) * np.sqrt(1.0 / width)).astype(np.float32)
    inits.append(numpy_helper.from_array(w, "Wout"))
    nodes.append(helper.make_node("MatMul", [prev, "Wout"], ["y"]))
    graph = helper.make_graph(
        nodes,
        "mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", inputs])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", outputs])],
        inits,
    )
    return helper.make_model(graph, opset_imports=OPSET)


def zero_input():
    """No inputs at all: a constant output. Registration must reject it (nothing to serve)."""
    graph = helper.make_graph(
        [helper.make_node("Constant", [], ["answer"], value=numpy_helper.from_array(np.array([42.0], dtype=np.float32)))],
        "zero_input",
        [],
        [helper.make_tensor_value_info("answer", TensorProto.FLOAT, [1])],
    )
    return helper.make_model(graph, opset_imports=OPSET)


def sequence_output():
    """A tensor output and a sequence output, which the protocol cannot carry."""
    graph = helper.make_graph(
        [
            helper.make_node("Identity", ["x"], ["y"]),
            helper.make_node("SplitToSequence", ["x"], ["parts"], axis=0),
        ],
        "sequence_output",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n"])],
        [
            helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n"]),
            helper.make_tensor_value_info(
                "parts", TensorProto.UNDEFINED, None),
        ],
    )
    seq_type = helper.make_sequence_type_proto(helper.make_tensor_type_proto(TensorProto.FLOAT, None))
    graph.output[1].type.CopyFrom(seq_type)
    return helper.make_model(graph, opset_imports=OPSET)


def external_data(location):
    """y = x + W where W lives in an external file at `location` (relative to the model)."""
    w = onnx.TensorProto()
    w.name = "W"
    w.data_type = TensorProto.FLOAT
    w.dims.extend([4])
    w.data_location = TensorProto.EXTERNAL
    for key, value in (("location", location), ("offset", "0"), ("length", "16")):
        entry = w.external_data.add()
        entry.key, entry.value = key, value
    graph = helper.make_graph(
        [helper.make_node("Add", ["x", "W"], ["y"])],
        "external_data",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])],
        [w],
    )
    model = helper.make_model(graph, opset_imports=OPSET)
    model.producer_name = "modelfunctions-tests"
    return model


def external_tensor(name, location, dims):
    t = onnx.TensorProto()
    t.name = name
    t.data_type = TensorProto.FLOAT
    t.dims.extend(dims)
    t.data_location = TensorProto.EXTERNAL
    for key, value in (("location", location), ("offset", "0"), ("length", str(4 * int(np.prod(dims))))):
        entry = t.external_data.add()
        entry.key, entry.value = key, value
    return t


def external_data_nested():
    """External data hidden in an If's branches (a Constant node and a subgraph initializer) and a top-level
    initializer that is also declared as an input (an overridable default). For inspection only: no .bin exists."""
    then_graph = helper.make_graph(
        [
            helper.make_node("Constant", [], ["c"], value=external_tensor("then_const", "then_const.bin", [4])),
            helper.make_node("Add", ["x", "c"], ["then_out"]),
        ],
        "then_branch",
        [],
        [helper.make_tensor_value_info("then_out", TensorProto.FLOAT, [4])],
    )
    else_graph = helper.make_graph(
        [helper.make_node("Add", ["x", "else_w"], ["else_out"])],
        "else_branch",
        [],
        [helper.make_tensor_value_info("else_out", TensorProto.FLOAT, [4])],
        [external_tensor("else_w", "sub/else_weights.bin", [4])],
    )
    graph = helper.make_graph(
        [
            helper.make_node("If", ["cond"], ["branch"], then_branch=then_graph, else_branch=else_graph),
            helper.make_node("Add", ["branch", "bias"], ["y"]),
        ],
        "external_data_nested",
        [
            helper.make_tensor_value_info("cond", TensorProto.BOOL, []),
            helper.make_tensor_value_info("x", TensorProto.FLOAT, [4]),
            helper.make_tensor_value_info("bias", TensorProto.FLOAT, [4]),
        ],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4])],
        [numpy_helper.from_array(np.zeros(4, dtype=np.float32), "bias")],
    )
    model = helper.make_model(
        graph, opset_imports=OPSET + [helper.make_opsetid("ai.onnx.ml", 3)], ir_version=8)
    model.producer_name = "modelfunctions-tests"
    model.producer_version = "2.5"
    model.domain = "org.modelfunctions.tests"
    model.model_version = 7
    model.doc_string = "External data in subgraphs."
    helper.set_model_props(model, {"owner": "tests", "stage": "inspection"})
    return model


def iris_batch_one_only(iris):
    """The iris classifier with a side Reshape whose target is [-1, 4] for all-zero inputs (the smoke test) and
    [1, 4] otherwise: same signature (the target depends on the data, so no dimension becomes static), and an
    ONNX Runtime failure (not an input error) at run time for any real batch of two or more rows, provided graph
    optimizations are off (ONNX Runtime's optimizer drops the side branch). Monitoring tests use it as a canary
    that fails."""
    model = onnx.ModelProto()
    model.CopyFrom(iris)
    graph = model.graph
    for node in graph.node:
        if node.op_type == "Softmax":
            node.input[0] = "logits_checked"
    graph.initializer.extend([
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero_f"),
        numpy_helper.from_array(np.array(2, dtype=np.int64), "two_i"),
        numpy_helper.from_array(np.array(-1, dtype=np.int64), "minus_one_i"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "axis0"),
        numpy_helper.from_array(np.array([4], dtype=np.int64), "four_i"),
    ])
    checks = [
        helper.make_node("ReduceMax", ["features"], ["max_value"], keepdims=0),
        helper.make_node("Greater", ["max_value", "zero_f"], ["is_real"]),
        helper.make_node("Cast", ["is_real"], ["is_real_i"], to=TensorProto.INT64),
        helper.make_node("Mul", ["is_real_i", "two_i"], ["twice"]),
        helper.make_node("Add", ["twice", "minus_one_i"], ["rows"]),
        helper.make_node("Unsqueeze", ["rows", "axis0"], ["rows_1d"]),
        helper.make_node("Concat", ["rows_1d", "four_i"], ["target_shape"], axis=0),
        helper.make_node("Reshape", ["features", "target_shape"], ["features_checked"]),
        # Used through a sum times zero, so graph optimizations cannot drop the Reshape.
        helper.make_node("ReduceSum", ["features_checked"], ["checked_sum"], keepdims=0),
        helper.make_node("Mul", ["checked_sum", "zero_f"], ["checked_zero"]),
    ]
    for i, node in enumerate(checks):
        graph.node.insert(i, node)
    softmax = next(i for i, node in enumerate(graph.node) if node.op_type == "Softmax")
    graph.node.insert(softmax, helper.make_node("Add", ["logits", "checked_zero"], ["logits_checked"]))
    model.doc_string = "Iris classifier that fails at run time for real batches of more than one row."
    return model


def main():
    rng = np.random.default_rng(20261122)
    iris, x, _ = iris_classifier(rng)
    save(iris, os.path.join(HERE, "iris.onnx"))
    write_reference_csv(os.path.join(HERE, "iris.reference.csv"), x)
    os.makedirs(SAMPLE_DIR, exist_ok=True)
    save(iris, os.path.join(SAMPLE_DIR, "model.onnx"))
    write_reference_csv(os.path.join(SAMPLE_DIR, "reference.csv"), x)
    save(iris_batch_one_only(iris), os.path.join(HERE, "iris_batch_one_only.onnx"))

    save(multi_input(), os.path.join(HERE, "multi_input.onnx"))
    save(identity_all_types(), os.path.join(HERE, "identity_all_types.onnx"))
    save(string_input(), os.path.join(HERE, "string_input.onnx"))
    save(mlp(np.random.default_rng(7)), os.path.join(HERE, "mlp.onnx"))
    save(zero_input(), os.path.join(HERE, "zero_input.onnx"))
    save(sequence_output(), os.path.join(HERE, "sequence_output.onnx"))
    # The checker refuses external locations outside the model's folder, which is the point of the second file.
    onnx.save(external_data("weights.bin"), os.path.join(HERE, "external_data.onnx"))
    with open(os.path.join(HERE, "weights.bin"), "wb") as f:
        f.write(np.array([1, 2, 3, 4], dtype=np.float32).tobytes())
    onnx.save(external_data("../../secret.bin"), os.path.join(HERE, "external_data_escape.onnx"))
    onnx.save(external_data_nested(), os.path.join(HERE, "external_data_nested.onnx"))


def bench_models(directory):
    os.makedirs(directory, exist_ok=True)
    save(mlp(np.random.default_rng(11), inputs=256, hidden=1024, layers=2, outputs=10), os.path.join(directory, "mlp_wide.onnx"))


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "--bench":
        bench_models(sys.argv[2])
    else:
        main()
