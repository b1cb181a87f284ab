# %% [markdown]
# # Lab 6: Build a reverse-mode engine, one operation at a time
#
# In the chapter you read a finished `Value` engine. Here you build one
# from an empty class, and you never add an operation without a test
# against PyTorch. By the end you will have:
#
# 1. a `Value` with `+`, `*` and `backward()`,
# 2. a checker that compares any expression with PyTorch in float64,
# 3. proof that `+=` matters (by breaking it),
# 4. more operations, each added with the same recipe and tested,
# 5. a random-expression tester,
# 6. a model trained with your engine.
#
# Every cell runs as shipped. The “Your turn” section at the end has tasks
# with checks you can run.

# %%
import math
import random

import torch

# %% [markdown]
# ## Step 1: a node that remembers where it came from
#
# A `Value` holds a number, a gradient, its parents and a closure. Start
# with only addition and multiplication. The closure of `a * b` knows the
# local derivatives: $\partial(ab)/\partial a = b$ and
# $\partial(ab)/\partial b = a$. It multiplies them by the gradient that
# arrives from above (`out.grad`) and **adds** the result to the parents.


# %%
class Value:
    def __init__(self, data, parents=()):
        self.data = float(data)
        self.grad = 0.0
        self.parents = parents
        self._backward = lambda: None

    def __repr__(self):
        return f"Value({self.data:.4g}, grad={self.grad:.4g})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def backward(self):
        order, seen = [], set()

        def visit(node):
            if node not in seen:
                seen.add(node)
                for parent in node.parents:
                    visit(parent)
                order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()


a, b = Value(2.0), Value(-3.0)
f = a * b + a
f.backward()
print(f, a, b)

# %% [markdown]
# By hand: $f = ab + a$, so $\partial f/\partial a = b + 1 = -2$ and
# $\partial f/\partial b = a = 2$. The output agrees.
#
# ## Step 2: a checker
#
# Testing by hand does not scale. Because `Value` and PyTorch tensors share
# method names, one Python function can build the same expression from
# either. `check` builds it both ways, runs both backward passes and returns
# the largest difference in the value and in the gradients.


# %%
def check(build, inputs, engine=Value):
    values = [engine(v) for v in inputs]
    out = build(*values)
    out.backward()
    tensors = [
        torch.tensor(v, dtype=torch.float64, requires_grad=True)
        for v in inputs
    ]
    reference = build(*tensors)
    reference.backward()
    grads = [t.grad.item() if t.grad is not None else 0.0 for t in tensors]
    value_error = abs(out.data - reference.item())
    grad_error = max(
        abs(v.grad - g) for v, g in zip(values, grads, strict=True)
    )
    return value_error, grad_error


print(check(lambda a, b: a * b + a, [2.0, -3.0]))
print(check(lambda a, b: (a + b) * (a * a), [0.5, 1.5]))

# %% [markdown]
# ## Step 3: break it on purpose
#
# Why `+=`? A value used twice gets a gradient from each use, and the
# multivariable chain rule adds them. Here is a subclass whose `__add__`
# assigns instead. The checker catches it on `a + a`, but not on `a + b`
# (nothing is reused) and, more surprisingly, not on `a + a * b`, although
# `a` is reused there: the broken assignment to `a.grad` happens to run
# before the multiplication adds its share. A bug like this hides from a
# few hand-picked tests, which is why Step 5 tests many random expressions.
#
# The flag `broken add ran` makes sure each test really used the broken
# `__add__`: the output node is a `BrokenValue` only if it did. Write
# `a * b + a` instead and it is not: `a * b` is a plain `Value` (only
# `__add__` was overridden), so the sum calls the correct `Value.__add__`,
# and the test would pass without testing the bug at all.


# %%
class BrokenValue(Value):
    def __add__(self, other):
        other = other if isinstance(other, Value) else BrokenValue(other)
        out = BrokenValue(self.data + other.data, (self, other))

        def _backward():
            self.grad = out.grad  # bug: = instead of +=
            other.grad = out.grad

        out._backward = _backward
        return out


for name, build in [
    ("a + b", lambda a, b: a + b),
    ("a + a", lambda a, b: a + a),
    ("a + a * b", lambda a, b: a + a * b),
    ("a * b + a", lambda a, b: a * b + a),
]:
    error = check(build, [2.0, -3.0], engine=BrokenValue)[1]
    ran = isinstance(build(BrokenValue(2.0), BrokenValue(-3.0)), BrokenValue)
    print(f"{name:>10}: gradient error {error}, broken add ran: {ran}")
    assert ran == (name != "a * b + a")

# %% [markdown]
# ## Step 4: the recipe for a new operation
#
# Every operation follows the same four lines:
#
# 1. compute the output value from the inputs,
# 2. create the output node with the inputs as parents,
# 3. write a closure that adds *local derivative × `out.grad`* to each
#    input’s `grad`,
# 4. attach the closure and return the node.
#
# Add `tanh` (derivative $1 - \tanh^2$, which can reuse the output) and
# attach it to the class, then test it before doing anything else.


# %%
def tanh(self):
    out = Value(math.tanh(self.data), (self,))

    def _backward():
        self.grad += (1 - out.data**2) * out.grad

    out._backward = _backward
    return out


Value.tanh = tanh

for x in [-2.0, -0.3, 0.0, 1.7]:
    errors = check(lambda a: (a * a).tanh() * a, [x])
    print(
        f"x = {x:>4}: value error {errors[0]:.0e}, grad error {errors[1]:.0e}"
    )
    assert max(errors) < 1e-12

# %% [markdown]
# Powers with a constant exponent, `exp` and `log` follow the recipe too.
# Negation, subtraction and division need no closure of their own: build
# them from the others, and their gradients come for free. The reflected
# versions (`2 * a`, `1 - a`, `1 / a`) let plain numbers appear on the left.


# %%
def power(self, k):
    out = Value(self.data**k, (self,))

    def _backward():
        self.grad += k * self.data ** (k - 1) * out.grad

    out._backward = _backward
    return out


def exp(self):
    out = Value(math.exp(self.data), (self,))

    def _backward():
        self.grad += out.data * out.grad

    out._backward = _backward
    return out


def log(self):
    out = Value(math.log(self.data), (self,))

    def _backward():
        self.grad += out.grad / self.data

    out._backward = _backward
    return out


def lift(x):
    return x if isinstance(x, Value) else Value(x)


Value.__pow__ = power
Value.exp = exp
Value.log = log
Value.__neg__ = lambda self: self * -1
Value.__sub__ = lambda self, other: self + (-lift(other))
Value.__truediv__ = lambda self, other: self * lift(other) ** -1
Value.__radd__ = lambda self, other: self + other
Value.__rmul__ = lambda self, other: self * other
Value.__rsub__ = lambda self, other: lift(other) - self
Value.__rtruediv__ = lambda self, other: lift(other) / self

tests = {
    "a ** 3 - 2 * a": lambda a, b: a**3 - 2 * a,
    "(a * a + 1).log() / b": lambda a, b: (a * a + 1).log() / b,
    "1 / (1 + (-a).exp())": lambda a, b: 1 / (1 + (-a).exp()),
    "(a - b).exp() * b ** 2": lambda a, b: (a - b).exp() * b**2,
    "b ** 0.5 - a / b": lambda a, b: b**0.5 - a / b,
}
for name, build in tests.items():
    errors = check(build, [0.8, 1.9])
    print(
        f"{name:<23} value error {errors[0]:.0e}, grad error {errors[1]:.0e}"
    )
    assert max(errors) < 1e-12

# %% [markdown]
# ## Step 5: random expressions
#
# Hand-picked tests only find the bugs you thought of. Generate random
# expressions instead: start from a few inputs, repeatedly apply a random
# operation to random earlier nodes (so nodes get reused), and sum every
# node at the end so that each one matters. The operations keep values in a
# safe range (the `log` and the division act on something positive).

# %%
OPS = {
    "add": (2, lambda a, b: a + b),
    "sub": (2, lambda a, b: a - b),
    "mul": (2, lambda a, b: a * b),
    "div": (2, lambda a, b: a / (b * b + 1)),
    "square": (1, lambda a: a**2),
    "tanh": (1, lambda a: a.tanh()),
    "exp": (1, lambda a: (a.tanh()).exp()),
    "log": (1, lambda a: (a * a + 1).log()),
    "neg": (1, lambda a: -a),
}


def random_program(rng, n_inputs=3, n_ops=12):
    program = []
    for i in range(n_ops):
        name = rng.choice(sorted(OPS))
        arity = OPS[name][0]
        args = [rng.randrange(n_inputs + i) for _ in range(arity)]
        program.append((name, args))
    return program


def run_program(program):
    def build(*inputs):
        nodes = list(inputs)
        for name, args in program:
            nodes.append(OPS[name][1](*[nodes[j] for j in args]))
        total = nodes[0]
        for node in nodes[1:]:
            total = total + node
        return total

    return build


rng = random.Random(0)
worst = 0.0
for _ in range(100):
    program = random_program(rng)
    inputs = [rng.uniform(-2, 2) for _ in range(3)]
    worst = max(worst, *check(run_program(program), inputs))
print(f"100 random expressions, largest error: {worst:.1e}")
assert worst < 1e-10

# %% [markdown]
# ## Step 6: train with it
#
# Logistic regression on two clusters of 2-D points, labels $t = \pm 1$,
# loss $\frac{1}{n}\sum \log(1 + e^{-t\,z})$ with $z = w_1 x_1 + w_2 x_2 + b$.
# Every gradient comes from your engine.

# %%
rng = random.Random(1)
data = [((rng.gauss(1, 0.7), rng.gauss(1, 0.7)), 1.0) for _ in range(15)]
data += [((rng.gauss(-1, 0.7), rng.gauss(-1, 0.7)), -1.0) for _ in range(15)]
w1, w2, b = Value(0.0), Value(0.0), Value(0.0)
params = [w1, w2, b]
lr = 0.5
for step in range(31):
    loss = 0
    for (x1, x2), t in data:
        z = w1 * x1 + w2 * x2 + b
        loss = loss + (1 + (-t * z).exp()).log()
    loss = loss / len(data)
    for p in params:
        p.grad = 0.0
    loss.backward()
    for p in params:
        p.data -= lr * p.grad
    if step % 10 == 0:
        print(f"step {step:>2}: loss {loss.data:.4f}")
correct = sum(
    (w1.data * x1 + w2.data * x2 + b.data > 0) == (t > 0)
    for (x1, x2), t in data
)
print(f"training accuracy: {correct}/{len(data)}")

# %% [markdown]
# ## Your turn
#
# Each task below comes with a check. The cells are shipped with one
# possible answer so that the notebook runs; cover the answer, write your
# own, and run the check.
#
# **Task 1.** Add `sigmoid` as a single operation with its own closure,
# using $\sigma'(x) = \sigma(x)(1 - \sigma(x))$. One node instead of the
# four that `1 / (1 + (-a).exp())` creates.


# %%
def sigmoid(self):
    out = Value(1 / (1 + math.exp(-self.data)), (self,))

    def _backward():
        self.grad += out.data * (1 - out.data) * out.grad

    out._backward = _backward
    return out


Value.sigmoid = sigmoid

# %%
for x in [-4.0, -0.5, 0.0, 2.5]:
    errors = check(lambda a: a.sigmoid() * a + a.sigmoid(), [x])
    assert max(errors) < 1e-12, errors
print("Task 1 passed")

# %% [markdown]
# **Task 2.** Add `relu` (derivative 1 where the input is positive, 0
# elsewhere, as PyTorch does at 0) and `sin`. Then add both to `OPS` and
# rerun the random tester with them.


# %%
def relu(self):
    out = Value(max(self.data, 0.0), (self,))

    def _backward():
        self.grad += (self.data > 0) * out.grad

    out._backward = _backward
    return out


def sin(self):
    out = Value(math.sin(self.data), (self,))

    def _backward():
        self.grad += math.cos(self.data) * out.grad

    out._backward = _backward
    return out


Value.relu = relu
Value.sin = sin

# %%
OPS["relu"] = (1, lambda a: a.relu())
OPS["sin"] = (1, lambda a: a.sin())
rng = random.Random(2)
worst = 0.0
for _ in range(100):
    program = random_program(rng)
    inputs = [rng.uniform(-2, 2) for _ in range(3)]
    worst = max(worst, *check(run_program(program), inputs))
assert worst < 1e-10, worst
assert check(lambda a: a.relu() * a, [0.0]) == (0.0, 0.0)  # kink at 0
print("Task 2 passed")

# %% [markdown]
# **Task 3.** The recursive `visit` in `backward` fails on deep graphs:
# Python limits recursion depth. A chain of 5000 additions is enough. Write
# `backward_iterative`, which builds the same order with an explicit stack,
# and attach it as `Value.backward`.

# %%
deep = x0 = Value(1.0)
for _ in range(5000):
    deep = deep + x0 * 0.5
try:
    deep.backward()
except RecursionError as error:
    print(f"RecursionError: {error}")


# %%
def backward_iterative(self):
    order, seen = [], set()
    stack = [(self, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((parent, False) for parent in node.parents)
    self.grad = 1.0
    for node in reversed(order):
        node._backward()


Value.backward = backward_iterative

# %%
x0.grad = 0.0
deep.backward()
print(f"d(deep)/dx0 = {x0.grad}")
assert x0.grad == 1 + 5000 * 0.5
assert max(check(lambda a, b: (a * b + a).tanh() * b, [0.3, -1.1])) < 1e-12
print("Task 3 passed")

# %% [markdown]
# **Task 4.** Memory. After the forward pass of Step 6, every node of the
# graph is alive until the loss is dropped: that is the engine’s version of
# saved activations. Write `count_nodes(root)` that counts the distinct
# nodes reachable from `root`, and check how the count grows with the number
# of examples.


# %%
def count_nodes(root):
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(node.parents)
    return len(seen)


def loss_graph(n):
    loss = 0
    for (x1, x2), t in data[:n]:
        z = w1 * x1 + w2 * x2 + b
        loss = loss + (1 + (-t * z).exp()).log()
    return loss / n


# %%
counts = {n: count_nodes(loss_graph(n)) for n in [5, 10, 20]}
print(counts)
per_example = counts[10] - counts[5]
assert counts[20] - counts[10] == 2 * per_example  # linear in n
print(f"Task 4 passed: {per_example / 5:.0f} nodes per example")
