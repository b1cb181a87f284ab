"""Checks for chapter 6 (docs/autodiff/) and its two engines.

The scalar reverse-mode engine (`Value`) and the dual numbers (`Dual`) are
loaded from their snippets and compared with PyTorch in float64 on many
randomly generated expression trees (values and gradients), with
subexpressions reused so that gradient accumulation is exercised. The other
tests check the claims the page makes about its printed tables, and run the
lab.
"""

import inspect
import math
import random
import warnings

import numpy as np
import pytest
import torch
from torch.func import jacrev

from bookkit import config, runner

LAB = config.docs_dir() / "labs" / "autodiff.py"
N_EXPRESSIONS = 200


# --------------------------------------------------------------- generator
# Each operation: (arity, build, valid). `build` works on Value, Dual and
# torch tensors alike; `m` gives the math functions of the backend (Value
# and tensors use methods, Dual uses module-level functions). `valid` keeps
# the inputs inside the domain, away from overflow and from kinks.
def _ops(m):
    return {
        "add": (2, lambda a, b: a + b, None),
        "sub": (2, lambda a, b: a - b, None),
        "mul": (2, lambda a, b: a * b, None),
        "div": (2, lambda a, b: a / b, lambda a, b: abs(b) > 0.2),
        "neg": (1, lambda a: -a, None),
        "square": (1, lambda a: a**2, None),
        "cube": (1, lambda a: a**3, lambda a: abs(a) < 5),
        "recip": (1, lambda a: a**-1, lambda a: abs(a) > 0.2),
        "sqrt": (1, lambda a: a**0.5, lambda a: a > 0.05),
        "exp": (1, m["exp"], lambda a: a < 4),
        "log": (1, m["log"], lambda a: a > 0.05),
        "radd": (1, lambda a: 2.5 + a, None),
        "rsub": (1, lambda a: 1.5 - a, None),
        "rmul": (1, lambda a: -0.7 * a, None),
        "rdiv": (1, lambda a: 2 / a, lambda a: abs(a) > 0.2),
        **m["extra"],
    }


def _methods(*names):
    return {name: (lambda a, n=name: getattr(a, n)()) for name in names}


VALUE_MATH = {
    **_methods("exp", "log"),
    "extra": {
        "tanh": (1, lambda a: a.tanh(), None),
        "relu": (1, lambda a: a.relu(), lambda a: abs(a) > 1e-3),
    },
}
TORCH_MATH_FOR_VALUE = VALUE_MATH  # tensors have the same methods


def dual_math(ns):
    return {
        "exp": ns["exp"],
        "log": ns["log"],
        "extra": {
            "sin": (1, ns["sin"], None),
            "cos": (1, ns["cos"], None),
            "pow": (2, lambda a, b: a**b, lambda a, b: a > 0.05 and b < 3),
            "rpow": (1, lambda a: 1.7**a, lambda a: a < 5),
        },
    }


TORCH_MATH_FOR_DUAL = {
    "exp": torch.exp,
    "log": torch.log,
    "extra": {
        "sin": (1, torch.sin, None),
        "cos": (1, torch.cos, None),
        "pow": (2, lambda a, b: a**b, lambda a, b: a > 0.05 and b < 3),
        "rpow": (1, lambda a: 1.7**a, lambda a: a < 5),
    },
}


def random_program(rng, ops, engine, to_float):
    """Random inputs and a list of (op, argument indices) within domain.

    Operands are drawn from every node made so far (inputs and results), so
    nodes are reused; drawing with replacement also gives `a * a`. The
    candidate program runs on `engine` numbers to keep it inside the domain.
    """
    inputs = [rng.uniform(-2, 2) for _ in range(rng.randint(1, 4))]
    nodes = [engine(v) for v in inputs]
    program = []
    length = rng.randint(4, 20)
    while len(program) < length:
        name = rng.choice(sorted(ops))
        arity, build, valid = ops[name]
        args = [rng.randrange(len(nodes)) for _ in range(arity)]
        operands = [nodes[i] for i in args]
        if valid is not None and not valid(*map(to_float, operands)):
            continue
        result = build(*operands)
        if not math.isfinite(to_float(result)) or abs(to_float(result)) > 1e4:
            continue
        program.append((name, args))
        nodes.append(result)
    return inputs, program


def run_program(program, ops, leaves):
    """Build the program on `leaves`; return (output, every node)."""
    nodes = list(leaves)
    for name, args in program:
        nodes.append(ops[name][1](*[nodes[i] for i in args]))
    output = nodes[-1]
    for node in nodes[:-1]:  # every node matters, and is used once more
        output = output + 0.5 * node
    return output, nodes


def reuse_count(program):
    uses = [i for _, args in program for i in args]
    return len(uses) - len(set(uses))


def torch_reference(inputs, program, ops):
    leaves = [
        torch.tensor(v, dtype=torch.float64, requires_grad=True)
        for v in inputs
    ]
    output, nodes = run_program(program, ops, leaves)
    for node in nodes:
        if not node.is_leaf:
            node.retain_grad()
    output.backward()
    grads = [0.0 if n.grad is None else n.grad.item() for n in nodes]
    return output.item(), [n.item() for n in nodes], grads


def close(a, b, tol=1e-10):
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


# ------------------------------------------------------------------ Value
@pytest.fixture
def value_ns(run_snippet):
    ns, _ = run_snippet("autodiff/03_value.py")
    return ns


def test_value_matches_torch_on_random_expressions(value_ns):
    Value = value_ns["Value"]
    ops = _ops(VALUE_MATH)
    torch_ops = _ops(TORCH_MATH_FOR_VALUE)
    rng = random.Random(2024)
    used, reused = set(), 0
    for trial in range(N_EXPRESSIONS):
        inputs, program = random_program(rng, ops, Value, lambda v: v.data)
        leaves = [Value(v) for v in inputs]
        output, nodes = run_program(program, ops, leaves)
        output.backward()
        ref_out, ref_values, ref_grads = torch_reference(
            inputs, program, torch_ops
        )
        where = f"expression {trial}: inputs {inputs}, program {program}"
        assert close(output.data, ref_out), where
        for node, value, grad in zip(
            nodes, ref_values, ref_grads, strict=True
        ):
            assert close(node.data, value), where
            assert close(node.grad, grad), where
        used |= {name for name, _ in program}
        reused += reuse_count(program) > 0
    assert used == set(ops), f"operations never generated: {set(ops) - used}"
    assert reused > N_EXPRESSIONS // 2, "too few expressions reuse a node"


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda a: a + a, 2.0),
        (lambda a: a * a, 6.0),  # 2a at a = 3
        (lambda a: a * a * a, 27.0),  # 3a^2
        (lambda a: (a * a) + (a * a) * a, 6.0 + 27.0),
        (lambda a: 1 / a - a / 2, -1 / 9 - 0.5),
    ],
)
def test_value_accumulates_over_every_use(value_ns, build, expected):
    a = value_ns["Value"](3.0)
    build(a).backward()
    assert math.isclose(a.grad, expected, rel_tol=1e-12)


def test_value_neuron_snippet_matches_torch(value_ns):
    ns = value_ns
    leaves = {
        k: torch.tensor(ns[k].data, dtype=torch.float64, requires_grad=True)
        for k in "xwb"
    }
    x, w, b = leaves["x"], leaves["w"], leaves["b"]
    loss = (torch.tanh(w * x + b) - 1.0) ** 2 + w * w
    loss.backward()
    assert math.isclose(ns["loss"].data, loss.item(), rel_tol=1e-12)
    for k, t in leaves.items():
        assert math.isclose(ns[k].grad, t.grad.item(), rel_tol=1e-12), k


def test_value_engine_fits_in_150_lines():
    source = (config.snippets_dir() / "autodiff" / "03_value.py").read_text()
    engine = source.split("[start:engine]")[1].split("[end:engine]")[0]
    assert len(engine.splitlines()) < 150
    for op in ["__add__", "__mul__", "__pow__", "exp", "log", "tanh", "relu"]:
        assert f"def {op}(" in engine  # each primitive has its own closure
    assert engine.count("def _backward") == 7


def test_value_second_backward_adds_once_more_like_torch(value_ns):
    x = value_ns["Value"](0.7)
    y = (x * x).tanh()
    y.backward()
    once = x.grad
    y.backward()
    t = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    yt = torch.tanh(t * t)
    yt.backward(retain_graph=True)
    assert math.isclose(once, t.grad.item(), rel_tol=1e-12)
    yt.backward()
    assert math.isclose(x.grad, 2 * once, rel_tol=1e-12)
    assert math.isclose(x.grad, t.grad.item(), rel_tol=1e-12)


# ------------------------------------------------------------------- Dual
@pytest.fixture
def dual_ns(run_snippet):
    ns, out = run_snippet("autodiff/02_dual.py")
    ns["__printed__"] = out
    return ns


def test_dual_prints_nine_plus_six_epsilon(dual_ns):
    assert "x ** 2 = 9 + 6ε" in dual_ns["__printed__"]
    square = dual_ns["Dual"](3.0, 1.0) ** 2
    assert (square.real, square.eps) == (9.0, 6.0)


def test_dual_matches_torch_on_random_expressions(dual_ns):
    Dual = dual_ns["Dual"]
    ops = _ops(dual_math(dual_ns))
    torch_ops = _ops(TORCH_MATH_FOR_DUAL)
    rng = random.Random(7)
    used, reused = set(), 0
    for trial in range(N_EXPRESSIONS):
        inputs, program = random_program(rng, ops, Dual, lambda v: v.real)
        leaves = [
            torch.tensor(v, dtype=torch.float64, requires_grad=True)
            for v in inputs
        ]
        output, _ = run_program(program, torch_ops, leaves)
        output.backward()
        where = f"expression {trial}: inputs {inputs}, program {program}"
        # forward mode: one pass per input, seeding that input with ε = 1
        for j, leaf in enumerate(leaves):
            seeded = [
                Dual(v, 1.0 if i == j else 0.0) for i, v in enumerate(inputs)
            ]
            dual_out, _ = run_program(program, ops, seeded)
            assert close(dual_out.real, output.item()), where
            assert close(dual_out.eps, leaf.grad.item()), where
        used |= {name for name, _ in program}
        reused += reuse_count(program) > 0
    assert used == set(ops), f"operations never generated: {set(ops) - used}"
    assert reused > N_EXPRESSIONS // 2


def test_dual_class_fits_in_150_lines():
    source = (config.snippets_dir() / "autodiff" / "02_dual.py").read_text()
    dual = source.split("[start:dual]")[1].split("[end:dual]")[0]
    assert len(dual.splitlines()) < 150


# --------------------------------------------------------------- symbolic
@pytest.fixture
def symbolic(run_snippet):
    ns, out = run_snippet("autodiff/01_symbolic.py")
    ns["__printed__"] = out
    return ns


def autograd_at(build, x0):
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    build(x).backward()
    return x.grad.item()


def test_symbolic_derivatives_match_autograd(symbolic):
    d, evaluate = symbolic["d"], symbolic["evaluate"]
    mul, sub = symbolic["mul"], symbolic["sub"]
    cases = [
        (("*", "x", ("sin", "x")), lambda x: x * torch.sin(x)),
        (("sin", ("exp", ("cos", "x"))), lambda x: x.cos().exp().sin()),
        (("-", ("*", 3, "x"), ("*", "x", "x")), lambda x: 3 * x - x * x),
        (mul(mul(4, "x"), sub(1, "x")), lambda x: 4 * x * (1 - x)),
    ]
    for expression, build in cases:
        for x0 in [-1.3, 0.2, 0.9, 2.5]:
            expected = autograd_at(build, x0)
            assert math.isclose(
                evaluate(d(expression), x0), expected, rel_tol=1e-12
            ), expression


def test_swell_grows_as_the_page_says(symbolic):
    d, size, mul, sub = (symbolic[k] for k in ["d", "size", "mul", "sub"])
    factors = symbolic["factors"]
    f, sizes_f, sizes_df = factors[0], {}, {}
    for n in range(1, 41):
        if n > 1:
            f = mul(f, factors[(n - 1) % 4])
        sizes_f[n], sizes_df[n] = size(f), size(d(f))
    # f grows like n, its derivative like n^2
    slope_f = math.log(sizes_f[40] / sizes_f[20]) / math.log(2)
    slope_df = math.log(sizes_df[40] / sizes_df[20]) / math.log(2)
    assert 0.9 < slope_f < 1.1 and 1.8 < slope_df < 2.2
    # the logistic map doubles each step; its derivative grows faster
    lk, ratio = "x", 1.0
    for _ in range(8):
        previous, lk = lk, mul(mul(4, lk), sub(1, lk))
        assert size(lk) == 2 * size(previous) + 5
        assert size(d(lk)) / size(lk) > ratio
        ratio = size(d(lk)) / size(lk)
    assert "f' = (sin(x) + (x * cos(x)))" in symbolic["__printed__"]


# ------------------------------------------------------------------ costs
def test_benchmark_pass_counts_and_restored_threads(run_snippet):
    # the page's claims rest on work counts, not on the measured times
    threads = torch.get_num_threads()
    ns, out = run_snippet("autodiff/04_jacobian_cost.py")
    assert torch.get_num_threads() == threads
    rows = ns["rows"]
    assert [m * n for m, n, *_ in rows] == [4096] * 5
    assert rows[0][0] > rows[0][1] and rows[-1][0] < rows[-1][1]
    assert out.count("| tall |") == 2 and out.count("| wide |") == 2
    for m, n, _, _, passes_fwd, passes_rev in rows:
        assert passes_fwd == n  # one per input
        assert passes_rev == m  # one per output
    (square,) = [row for row in rows if row[0] == row[1]]
    assert square[4] == pytest.approx(square[5], rel=0.05)  # same work
    tall, wide = rows[0], rows[-1]
    assert tall[5] / tall[4] == pytest.approx(256, rel=0.01)
    assert wide[4] / wide[5] == pytest.approx(256, rel=0.01)


def test_flop_counter_skips_matrix_vector_products(run_snippet):
    # why the page's pass counts leave out the one plain evaluation of f
    ns, _ = run_snippet("autodiff/04_jacobian_cost.py")
    f, flops = ns["make_f"](16, 256), ns["flops"]
    x = torch.randn(16)
    assert flops(f, x) == 0  # three matrix-vector products, not counted
    assert flops(f, x[:, None]) > 0  # the same products on a column
    one_pass = flops(f, x[:, None])
    assert flops(torch.func.jacrev(f), x) == 256 * one_pass


def test_a_leaf_on_three_paths_is_written_once_per_backward():
    x = torch.tensor(2.0)
    w = torch.tensor(-0.5, requires_grad=True)
    b = torch.tensor(0.3, requires_grad=True)
    loss = (torch.tanh(w * x + b) - 1.0) ** 2 + w * w
    nodes = []

    def walk(fn):
        if getattr(fn, "variable", None) is w:
            nodes.append(fn)
        for parent, _ in fn.next_functions:
            if parent is not None:
                walk(parent)

    walk(loss.grad_fn)
    assert len(nodes) == 3 and all(node is nodes[0] for node in nodes)
    writes = []
    w.register_post_accumulate_grad_hook(lambda p: writes.append(p.grad))
    loss.backward()
    assert len(writes) == 1
    t = math.tanh(-0.5 * 2.0 + 0.3)
    expected = 2 * (t - 1) * (1 - t**2) * 2.0 + 2 * -0.5
    assert w.grad.item() == pytest.approx(expected, rel=1e-6)


def backward_over_forward_flops(model, x):
    counter = torch.utils.flop_counter.FlopCounterMode(display=False)
    with counter:
        loss = model(x).square().mean()
    forward = counter.get_total_flops()
    counter = torch.utils.flop_counter.FlopCounterMode(display=False)
    with counter:
        loss.backward()
    return counter.get_total_flops() / forward


@pytest.mark.parametrize("width", [8, 100, 700])
def test_backward_costs_one_to_two_forward_passes(width):
    from torch import nn

    torch.manual_seed(0)
    deep = nn.Sequential(
        *[nn.Sequential(nn.Linear(width, width), nn.Tanh()) for _ in range(5)]
    )
    ratio = backward_over_forward_flops(deep, torch.randn(16, width))
    # every layer but the first does two products: dL/dW and dL/dx
    assert ratio == pytest.approx(2 - 1 / 5, rel=1e-9)
    one = nn.Linear(width, 3)
    assert backward_over_forward_flops(one, torch.randn(16, width)) == 1


def test_saved_activations_grow_with_the_batch(run_snippet):
    ns, _ = run_snippet("autodiff/05_saved_tensors.py")
    saved_by_forward = ns["saved_by_forward"]
    for batch in [1, 64, 1024]:
        count, mb = saved_by_forward(batch, torch.enable_grad)
        # x, two ReLU outputs, the logits: (256 + 512 + 512 + 10) floats
        assert math.isclose(mb, batch * (256 + 512 + 512 + 10) * 4 / 1e6)
        assert count == 8
        assert saved_by_forward(batch, torch.no_grad) == (0, 0.0)
        assert saved_by_forward(batch, torch.inference_mode) == (0, 0.0)
    assert saved_by_forward(1024, torch.enable_grad)[1] > ns["param_mb"]


def test_per_example_gradients_are_jacobian_rows(run_snippet):
    ns, _ = run_snippet("autodiff/08_per_example.py")
    X, y, w = ns["X"], ns["y"], ns["w"]
    jacobian = jacrev(lambda w: (X @ w - y) ** 2)(w)  # (batch, 3)
    assert torch.allclose(ns["per_example"], jacobian)


def test_per_example_gradients_of_a_module_with_functional_call(
    run_snippet,
):
    ns, out = run_snippet("autodiff/08b_per_example_module.py")
    model, X, labels = ns["model"], ns["X"], ns["labels"]
    per_example = ns["per_example"]
    assert set(per_example) == {n for n, _ in model.named_parameters()}
    for i, (x, label) in enumerate(zip(X, labels, strict=True)):
        model.zero_grad()
        torch.nn.functional.cross_entropy(model(x), label).backward()
        for name, p in model.named_parameters():
            assert per_example[name][i].shape == p.shape
            assert torch.allclose(per_example[name][i], p.grad)
    # "the largest is about twice the smallest"
    norms = ns["norms"]
    assert 1.8 < (norms.max() / norms.min()).item() < 2.3
    assert "ratio 2.07" in out


def test_hvp_is_hessian_times_v_and_costs_three_gradients(run_snippet):
    ns, out = run_snippet("autodiff/08c_hvp.py")
    f, hvp, A = ns["f"], ns["hvp"], ns["A"]
    g = torch.func.grad(f)
    gen = torch.Generator().manual_seed(1)
    for _ in range(5):
        x = torch.randn(4, dtype=torch.float64, generator=gen)
        v = torch.randn(4, dtype=torch.float64, generator=gen)
        Hv = hvp(f, x, v)
        assert torch.allclose(Hv, torch.func.hessian(f)(x) @ v)
        # H = A^T (diag(p) - p p^T) A, p = softmax(A x)
        p = torch.softmax(A @ x, dim=0)
        H = A.T @ (torch.diag(p) - torch.outer(p, p)) @ A
        assert torch.allclose(Hv, H @ v)
        # d/dt grad f(x + t v) at 0, by central differences
        t = 1e-5
        fd = (g(x + t * v) - g(x - t * v)) / (2 * t)
        assert torch.allclose(Hv, fd, atol=1e-8)
        # reverse over reverse gives the same product
        rr = torch.func.grad(lambda x, v=v: g(x) @ v)(x)
        assert torch.allclose(Hv, rr)
    assert "ratio 3\n" in out and "832 MB" in out
    n = ns["n"]
    assert n * n * 8 / 1e6 == pytest.approx(832, abs=0.5)


def test_hvp_multiplies_by_the_zero_tangent_of_the_data(run_snippet):
    # "here two such products of 320,000 FLOPs each ... 1,308,800 / 649,600"
    from torch.utils._python_dispatch import TorchDispatchMode

    ns, _ = run_snippet("autodiff/08c_hvp.py")
    hvp, loss, params = ns["hvp"], ns["loss"], ns["params"]
    tangent = ns["tangent"]
    aten = torch.ops.aten
    products = []

    class Products(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            if func in (aten.mm.default, aten.addmm.default):
                a, b = args[-2:]
                zero = bool((a == 0).all() or (b == 0).all())
                products.append(
                    (2 * a.shape[0] * a.shape[1] * b.shape[1], zero)
                )
            return func(*args, **(kwargs or {}))

    with Products():
        hvp(loss, params, tangent)
    zero_flops = [n for n, zero in products if zero]
    total = sum(n for n, _ in products)
    assert zero_flops == [320_000, 320_000]
    assert total == 3 * 649_600
    assert total - sum(zero_flops) == 1_308_800


def test_exercise_8_hessian_eigenvalues_are_at_least_one():
    torch.manual_seed(0)
    A = torch.randn(20, 10, dtype=torch.float64)

    def f(x):
        return torch.logsumexp(A @ x, dim=0) + 0.5 * (x @ x)

    for _ in range(5):
        x = torch.randn(10, dtype=torch.float64)
        eigenvalues = torch.linalg.eigvalsh(torch.func.hessian(f)(x))
        assert eigenvalues.min() >= 1 - 1e-12


@pytest.mark.parametrize("width", [8, 100, 300])
def test_hvp_matrix_flops_are_exactly_three_gradients(run_snippet, width):
    from torch import nn

    ns, _ = run_snippet("autodiff/08c_hvp.py")
    hvp, flops = ns["hvp"], ns["flops"]
    torch.manual_seed(0)
    model = nn.Sequential(
        *[nn.Sequential(nn.Linear(width, width), nn.Tanh()) for _ in range(4)]
    ).double()
    X = torch.randn(16, width, dtype=torch.float64)
    params = {k: p.detach() for k, p in model.named_parameters()}
    v = {k: torch.randn_like(p) for k, p in params.items()}

    def loss(params):
        out = torch.func.functional_call(model, params, (X,))
        return out.square().mean()

    gradient = flops(lambda: torch.func.grad(loss)(params))
    assert flops(lambda: hvp(loss, params, v)) == 3 * gradient


def test_jax_table_names_exist_in_torch_func_with_its_arguments():
    import re

    page = config.docs_dir() / "autodiff" / "pytorch.md"
    page = page.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `jax\.(\w+)\(.*?\| `(\w+)\((.*?)\)`", page, re.M)
    assert [jax for jax, _, _ in rows] == [
        "grad", "jvp", "vjp", "vmap", "jacfwd", "jacrev", "hessian",
    ]  # fmt: skip
    for jax_name, torch_name, args in rows:
        fn = getattr(torch.func, torch_name)
        params = inspect.signature(fn).parameters
        assert jax_name == torch_name
        if any(p.kind == p.VAR_POSITIONAL for p in params.values()):
            continue  # vjp(f, *primals): x is any positional argument
        for arg in args.split(", ")[1:]:  # the names the table shows
            assert arg in params, (torch_name, arg)
    for name in ["grad", "jacfwd", "jacrev"]:
        params = inspect.signature(getattr(torch.func, name)).parameters
        assert {"argnums", "has_aux"} <= set(params)
    vmap_params = inspect.signature(torch.func.vmap).parameters
    assert vmap_params["randomness"].default == "error"

    def f(x):
        return (x**2).sum()

    x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    g, value = torch.func.grad_and_value(f)(x)  # gradient first
    assert torch.equal(g, 2 * x) and value.item() == 14.0
    _, vjp_fn = torch.func.vjp(f, x)
    cotangents = vjp_fn(torch.tensor(1.0, dtype=torch.float64))
    assert isinstance(cotangents, tuple) and torch.equal(cotangents[0], g)
    with pytest.raises(RuntimeError, match="randomness"):
        torch.func.vmap(torch.nn.functional.dropout)(torch.ones(2, 3))
    for randomness in ["different", "same"]:
        torch.func.vmap(torch.nn.functional.dropout, randomness=randomness)(
            torch.ones(2, 3)
        )


# ----------------------------------------------- turning autograd off
def test_inference_tensors_fail_only_where_autograd_must_save_them():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.inference_mode():
        b = w * 2
    (b + w).sum().backward()  # the gradient of a sum does not need b
    assert torch.equal(w.grad, torch.ones(2))
    with pytest.raises(RuntimeError, match="cannot be saved for backward"):
        (b * w).sum().backward()
    with pytest.raises(RuntimeError, match="Inplace update to inference"):
        b.add_(1)
    with torch.no_grad():
        a = w * 2
    (a * w).sum().backward()  # a no_grad result is an ordinary constant


def test_inplace_write_through_detach_changes_t_and_breaks_backward():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    h = w * 3
    loss = (h**2).sum()
    h.detach().zero_()
    assert torch.equal(h.detach(), torch.zeros(2))
    with pytest.raises(RuntimeError, match="modified by an inplace"):
        loss.backward()


def test_inplace_on_a_saved_output_raises_and_out_of_place_fixes_it():
    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    y = x.sigmoid()
    assert y._version == 0
    y.mul_(2)
    assert y._version == 1
    with pytest.raises(RuntimeError, match="modified by an inplace") as info:
        y.sum().backward()
    assert "is at version 1; expected version 0" in str(info.value)
    s = torch.sigmoid(x.detach())
    for fix in [lambda: x.sigmoid() * 2, lambda: x.sigmoid().clone().mul_(2)]:
        x.grad = None
        fix().sum().backward()
        assert torch.allclose(x.grad, 2 * s * (1 - s))  # (2 sigma)'
    # an in-place change of a tensor nobody saved is fine
    x.grad = None
    z = x * 3
    z.mul_(2)
    z.sum().backward()
    assert torch.equal(x.grad, torch.full((3,), 6.0))


def test_views_and_detach_share_the_version_counter():
    h = torch.ones(4) * 2
    for other in [h.detach(), h[1:], h.view(2, 2)]:
        before = h._version
        other.add_(1)
        assert h._version == before + 1 == other._version


def test_inplace_relu_breaks_after_sigmoid_but_not_after_linear():
    torch.manual_seed(0)
    linear = torch.nn.Linear(3, 3)
    x = torch.randn(2, 3)
    saved = []
    with torch.autograd.graph.saved_tensors_hooks(
        lambda t: saved.append(t) or t, lambda t: t
    ):
        out = linear(x)
    assert all(t.data_ptr() != out.data_ptr() for t in saved)
    relu = torch.nn.ReLU(inplace=True)
    relu(linear(x)).sum().backward()  # Linear did not save its output
    with pytest.raises(RuntimeError, match="modified by an inplace"):
        relu(torch.sigmoid(linear(x))).sum().backward()
    # "unless some other operation saved that output too"
    h = linear(x)
    w = torch.randn(3, requires_grad=True)
    out = (h * w).sum()  # h * w saves h: it is the derivative in w
    relu(h)
    with pytest.raises(RuntimeError, match="modified by an inplace"):
        out.backward()


def test_second_backward_fails_only_if_something_was_saved():
    x = torch.tensor(2.0, requires_grad=True)
    y = x + 1
    y.backward()
    y.backward()
    assert x.grad.item() == 2.0
    y = torch.tanh(x) ** 2
    y.backward()
    with pytest.raises(RuntimeError, match="backward through the graph"):
        y.backward()


def test_no_grad_is_not_eval():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.Dropout(0.5))
    x = torch.ones(64, 4)
    model.eval()
    out = model(x)
    assert out.requires_grad  # eval() does not stop recording
    model.train()
    with torch.no_grad():
        out = model(x)
    assert not out.requires_grad
    assert (out == 0).any()  # no_grad does not switch dropout off


def test_gradcheck_defaults_fail_float32_and_looser_settings_pass():
    options = inspect.signature(torch.autograd.gradcheck).parameters
    defaults = {k: options[k].default for k in ["eps", "atol", "rtol"]}
    assert defaults == {"eps": 1e-6, "atol": 1e-5, "rtol": 1e-3}

    def f(x):
        return (torch.tanh(x) * torch.exp(x)).sum()

    torch.manual_seed(0)
    x = torch.randn(4, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(f, (x,))
    x32 = x.detach().float().requires_grad_()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert not torch.autograd.gradcheck(f, (x32,), raise_exception=False)
        assert torch.autograd.gradcheck(
            f, (x32,), eps=1e-3, atol=1e-3, rtol=1e-2
        )


# ---------------------------------------------------- custom functions
def test_stable_softplus(run_snippet):
    ns, out = run_snippet("autodiff/06_softplus.py")
    softplus = ns["softplus"]
    x = torch.linspace(-700, 700, 61, dtype=torch.float64)
    x.requires_grad_()
    assert torch.autograd.gradcheck(softplus, (x,))
    y = softplus(x)
    assert torch.allclose(y, torch.nn.functional.softplus(x, threshold=1e9))
    y.sum().backward()
    assert torch.allclose(x.grad, torch.sigmoid(x.detach()))
    big = torch.tensor(1000.0, requires_grad=True)
    naive = ns["naive_softplus"](big)
    naive.backward()
    assert math.isinf(naive.item()) and math.isnan(big.grad.item())
    assert "inf" in out and "nan" in out
    # this forward(ctx, x) style is not supported by torch.func
    with pytest.raises(RuntimeError, match="setup_context"):
        torch.func.grad(softplus)(torch.tensor(1.0, dtype=torch.float64))


def test_setup_context_softplus_works_under_torch_func(run_snippet):
    ns, out = run_snippet("autodiff/06_softplus.py")
    f = ns["func_softplus"]
    x = torch.linspace(-700, 700, 61, dtype=torch.float64)
    s = torch.sigmoid(x)
    assert torch.allclose(torch.func.vmap(torch.func.grad(f))(x), s)
    d2 = torch.func.vmap(torch.func.grad(torch.func.grad(f)))(x)
    assert torch.allclose(d2, s * (1 - s))  # sigma' = sigma (1 - sigma)
    # second derivative through the custom backward vs finite differences
    x.requires_grad_()
    assert torch.autograd.gradcheck(f, (x,))
    assert torch.autograd.gradgradcheck(f, (x,))
    assert "gradgradcheck: True" in out
    assert "must override the setup_context" in out


def test_a_numpy_backward_passes_gradcheck_but_not_gradgradcheck():
    class NumpyBackward(torch.autograd.Function):
        @staticmethod
        def forward(x):
            return x.clamp(min=0) + torch.log1p(torch.exp(-x.abs()))

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            s = 1 / (1 + np.exp(-x.detach().numpy()))
            return grad_output * torch.from_numpy(s)

    f = NumpyBackward.apply
    x = torch.linspace(-3, 3, 7, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(f, (x,))
    assert not torch.autograd.gradgradcheck(f, (x,), raise_exception=False)
    (d1,) = torch.autograd.grad(f(x).sum(), x, create_graph=True)
    with pytest.raises(RuntimeError, match="does not require grad"):
        torch.autograd.grad(d1.sum(), x)
    # (x softplus(x))'' = x s' + 2 s; the s' term is silently lost
    (d1,) = torch.autograd.grad((x * f(x)).sum(), x, create_graph=True)
    (d2,) = torch.autograd.grad(d1.sum(), x)
    s = torch.sigmoid(x.detach())
    assert torch.allclose(d2, 2 * s)
    assert not torch.allclose(d2, x.detach() * s * (1 - s) + 2 * s)


def test_straight_through_estimator(run_snippet):
    ns, out = run_snippet("autodiff/07_straight_through.py")
    x = torch.tensor([0.3, 1.6, -2.2], dtype=torch.float64, requires_grad=True)
    y = ns["RoundSTE"].apply(x)
    assert torch.equal(y, torch.round(x.detach()))
    y.sum().backward()
    assert torch.equal(x.grad, torch.ones_like(x))
    assert "GradcheckError: Jacobian mismatch" in out
    x.grad = None
    idiom = x + (torch.round(x) - x).detach()
    assert torch.equal(idiom, y)
    idiom.sum().backward()
    assert torch.equal(x.grad, torch.ones_like(x))


def test_gradient_checks(run_snippet):
    ns, _ = run_snippet("autodiff/09_grad_check.py")
    relative_error = ns["relative_error"]
    numerical, autograd = ns["numerical_grad"], ns["autograd_grad"]
    loss_fn, w0 = ns["loss_fn"], ns["w0"]
    exact = autograd(loss_fn, w0)
    for h in [1e-2, 1e-4, 1e-6]:
        assert relative_error(numerical(loss_fn, w0, h), exact) < 1e-5
    w32 = w0.float()
    noisy = relative_error(
        numerical(loss_fn, w32, 1e-6), autograd(loss_fn, w32)
    )
    assert noisy > 1e-2  # "the smallest h gives nonsense" in float32
    assert relative_error(ns["hand_grad"](w0, False), exact) < 1e-12
    assert relative_error(ns["hand_grad"](w0, True), exact) > 0.5


# -------------------------------------------------------------------- lab
def test_lab_runs_and_its_checks_pass():
    source = LAB.read_text(encoding="utf-8")
    with runner.isolated() as output:
        runner.reset_global_state()
        runner.execute(source, str(LAB), {})
    assert "## Your turn" in source
    for task in range(1, 5):
        assert f"Task {task} passed" in output.text
    # Step 3's tests really run the broken add (a * b + a would not)
    assert " a + a * b: gradient error 0.0, broken add ran: True" in (
        output.text
    )
    assert " a + a: gradient error 1.0, broken add ran: True" in output.text
