# %% [markdown]
# # Lab 3: Backpropagation by hand, checked against PyTorch
#
# In the chapter you backpropagated through a chain: every node had one
# input and one output. Real networks branch. In this lab you take a
# network with **two inputs, a hidden layer of two sigmoid units and one
# output**, write its backward pass by hand, and check every intermediate
# gradient against PyTorch and against finite differences. Then you redo
# the pass with vectors and matrices, one layer at a time, and train the
# network with your own gradients.
#
# The network, written out one scalar at a time:
#
# $$z_1 = w_{11} x_1 + w_{12} x_2 + b_1, \qquad a_1 = \sigma(z_1)$$
#
# $$z_2 = w_{21} x_1 + w_{22} x_2 + b_2, \qquad a_2 = \sigma(z_2)$$
#
# $$\hat y = v_1 a_1 + v_2 a_2 + c, \qquad L = (\hat y - y)^2$$
#
# Nine parameters: four weights $w_{jk}$ into the hidden layer, two biases
# $b_j$, two output weights $v_j$ and the output bias $c$.

# %%
import math

import torch


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def leaves(values):
    # one float64 tensor that records gradients per named value
    return {
        name: torch.tensor(v, dtype=torch.float64).requires_grad_()
        for name, v in values.items()
    }


params = {
    "w11": 0.4, "w12": -0.7, "b1": 0.1,  # into hidden unit 1
    "w21": 0.9, "w22": 0.3, "b2": -0.2,  # into hidden unit 2
    "v1": 1.1, "v2": -0.6, "c": 0.05,  # into the output
}
x1, x2, y = 1.0, 2.0, 0.3  # one training example

# %% [markdown]
# ## Forward pass
#
# Compute every intermediate value and keep it: the backward pass needs
# them. The function returns them in a dictionary (the “cache”).

# %%
def forward(p, x1, x2, y):
    z1 = p["w11"] * x1 + p["w12"] * x2 + p["b1"]
    z2 = p["w21"] * x1 + p["w22"] * x2 + p["b2"]
    a1, a2 = sigmoid(z1), sigmoid(z2)
    y_hat = p["v1"] * a1 + p["v2"] * a2 + p["c"]
    loss = (y_hat - y) ** 2
    return {
        "x1": x1, "x2": x2, "y": y, "z1": z1, "z2": z2,
        "a1": a1, "a2": a2, "y_hat": y_hat, "loss": loss,
    }


cache = forward(params, x1, x2, y)
for name in ["z1", "z2", "a1", "a2", "y_hat", "loss"]:
    print(f"{name:>5} = {cache[name]: .6f}")

# %% [markdown]
# ## Backward pass by hand
#
# Start at the loss and walk back, one local derivative per edge:
#
# - $\partial L/\partial \hat y = 2(\hat y - y)$;
# - $\hat y = v_1 a_1 + v_2 a_2 + c$ gives
#   $\partial L/\partial v_j = \partial L/\partial \hat y \cdot a_j$,
#   $\partial L/\partial a_j = \partial L/\partial \hat y \cdot v_j$ and
#   $\partial L/\partial c = \partial L/\partial \hat y$;
# - the sigmoid gives
#   $\partial L/\partial z_j = \partial L/\partial a_j \cdot a_j(1 - a_j)$;
# - $z_j = w_{j1} x_1 + w_{j2} x_2 + b_j$ gives
#   $\partial L/\partial w_{jk} = \partial L/\partial z_j \cdot x_k$ and
#   $\partial L/\partial b_j = \partial L/\partial z_j$.
#
# The inputs are where the graph branches: $x_1$ feeds **both** hidden
# units, so its gradient is a sum over two paths:
#
# $$\frac{\partial L}{\partial x_1} =
# \frac{\partial L}{\partial z_1}\, w_{11} +
# \frac{\partial L}{\partial z_2}\, w_{21}.$$

# %%
def backward(p, cache):
    g = {}
    g["y_hat"] = 2 * (cache["y_hat"] - cache["y"])
    g["v1"] = g["y_hat"] * cache["a1"]
    g["v2"] = g["y_hat"] * cache["a2"]
    g["c"] = g["y_hat"]
    g["a1"] = g["y_hat"] * p["v1"]
    g["a2"] = g["y_hat"] * p["v2"]
    g["z1"] = g["a1"] * cache["a1"] * (1 - cache["a1"])
    g["z2"] = g["a2"] * cache["a2"] * (1 - cache["a2"])
    for j in "12":
        g[f"w{j}1"] = g[f"z{j}"] * cache["x1"]
        g[f"w{j}2"] = g[f"z{j}"] * cache["x2"]
        g[f"b{j}"] = g[f"z{j}"]
    # the inputs feed both hidden units: add the two paths
    g["x1"] = g["z1"] * p["w11"] + g["z2"] * p["w21"]
    g["x2"] = g["z1"] * p["w12"] + g["z2"] * p["w22"]
    return g


grads = backward(params, cache)
for name, value in grads.items():
    print(f"dL/d{name:<6} = {value: .8f}")

# %% [markdown]
# ## The same graph in PyTorch
#
# Every parameter and input becomes a float64 tensor that requires a
# gradient. `retain_grad()` asks PyTorch to keep the gradients of the
# intermediate nodes as well, so you can compare **every** line of your
# backward pass, not only the parameters.

# %%
t = leaves({**params, "x1": x1, "x2": x2})
z1 = t["w11"] * t["x1"] + t["w12"] * t["x2"] + t["b1"]
z2 = t["w21"] * t["x1"] + t["w22"] * t["x2"] + t["b2"]
a1, a2 = torch.sigmoid(z1), torch.sigmoid(z2)
y_hat = t["v1"] * a1 + t["v2"] * a2 + t["c"]
inner = {"z1": z1, "z2": z2, "a1": a1, "a2": a2, "y_hat": y_hat}
for node in inner.values():
    node.retain_grad()
loss = (y_hat - y) ** 2
loss.backward()

nodes = t | inner
torch_grads = {name: nodes[name].grad.item() for name in nodes}

print(f"{'node':<6} {'by hand':>14} {'PyTorch':>14} {'gap':>8}")
for name, mine in grads.items():
    theirs = torch_grads[name]
    gap = abs(mine - theirs)
    print(f"{name:<6} {mine:14.10f} {theirs:14.10f} {gap:8.1e}")
    assert gap < 1e-14, name
assert set(grads) == set(torch_grads)
print(f"all {len(grads)} gradients agree")

# %% [markdown]
# ## A third opinion: finite differences
#
# A central difference needs nothing but the forward pass. It is slow (two
# forward passes per parameter) but it cannot share a mistake with your
# backward pass, which makes it the referee.

# %%
def loss_of(p):
    return forward(p, x1, x2, y)["loss"]


h = 1e-6
print(f"{'param':<6} {'by hand':>14} {'central':>14} {'rel err':>8}")
for name in params:
    plus = {**params, name: params[name] + h}
    minus = {**params, name: params[name] - h}
    central = (loss_of(plus) - loss_of(minus)) / (2 * h)
    mine = grads[name]
    rel = abs(central - mine) / abs(mine)
    print(f"{name:<6} {mine:14.10f} {central:14.10f} {rel:8.1e}")
    assert rel < 1e-6, name

# %% [markdown]
# ## The same pass, in vectors
#
# The two hidden units do the same thing with different numbers, so
# stack them: $W_1 = \begin{pmatrix} w_{11} & w_{12} \\ w_{21} & w_{22}
# \end{pmatrix}$, $\mathbf{b}_1 = (b_1, b_2)$, $W_2 = (v_1 \;\; v_2)$ and
# $\mathbf{b}_2 = (c)$. Then $\mathbf{z}_1 = W_1\mathbf{x} + \mathbf{b}_1$,
# $\mathbf{h}_1 = \sigma(\mathbf{z}_1)$ and
# $\hat y = W_2\mathbf{h}_1 + \mathbf{b}_2$.
# Bold letters are the layers’ vectors; the plain ones keep their names
# from the cells above: $b_2$, unit 2’s bias, is an entry of
# $\mathbf{b}_1$, while $\mathbf{b}_2 = (c)$ is the output’s bias. Likewise
# $\mathbf{z}_1 = (z_1, z_2)$, and the output layer’s $\mathbf{z}_2$ is
# $(\hat y)$ itself, with no activation after it.
# [Chapter 4](../../gradients/layers/#backpropagation-through-a-layer-in-vectors)
# derives the backward pass of such a layer. With
# $\boldsymbol\delta_l = \partial L/\partial \mathbf{h}_l$, the gradient
# that arrives at the output of layer $l$ (and $\mathbf{h}_0 = \mathbf{x}$):
#
# $$\frac{\partial L}{\partial W_l} = \bigl(\sigma'(\mathbf{z}_l) \odot
# \boldsymbol\delta_l\bigr)\,\mathbf{h}_{l-1}^\top,$$
#
# $$\frac{\partial L}{\partial \mathbf{b}_l} = \sigma'(\mathbf{z}_l) \odot
# \boldsymbol\delta_l,$$
#
# $$\boldsymbol\delta_{l-1} = W_l^\top\bigl(\sigma'(\mathbf{z}_l) \odot
# \boldsymbol\delta_l\bigr).$$
#
# The output layer has no activation ($\sigma' = 1$). Each line of
# `backward` above is one entry of these formulas: the outer product holds
# the four $\partial L/\partial w_{jk}$, and $W_1^\top$ adds the two paths
# into each input.

# %%
def f64(rows):
    return torch.tensor(rows, dtype=torch.float64)


W1 = f64([[params["w11"], params["w12"]],
          [params["w21"], params["w22"]]])  # (2, 2)
b1 = f64([params["b1"], params["b2"]])  # (2,)
W2 = f64([[params["v1"], params["v2"]]])  # (1, 2)
b2 = f64([params["c"]])  # (1,)
x = f64([x1, x2])  # (2,)

z_1 = W1 @ x + b1  # (2,) forward, keeping z_1 and h_1
h_1 = torch.sigmoid(z_1)  # (2,)
out = W2 @ h_1 + b2  # (1,) the prediction

delta_2 = 2 * (out - y)  # (1,) dL/dy_hat; the output's σ' is 1
dL_dW2 = torch.outer(delta_2, h_1)  # (1, 2)
dL_db2 = delta_2  # (1,)
delta_1 = W2.T @ delta_2  # (2,) dL/dh_1
dL_dz1 = h_1 * (1 - h_1) * delta_1  # (2,) σ'(z_1) ⊙ δ_1
dL_dW1 = torch.outer(dL_dz1, x)  # (2, 2)
dL_db1 = dL_dz1  # (2,)
dL_dx = W1.T @ dL_dz1  # (2,) δ_0: both paths into each input at once

# autograd on the same vectors, and the scalar pass above, arranged
ours = {"W1": dL_dW1, "b1": dL_db1, "W2": dL_dW2, "b2": dL_db2, "x": dL_dx}
leaf = {name: v.clone().requires_grad_()
        for name, v in zip(ours, (W1, b1, W2, b2, x), strict=True)}
hidden = torch.sigmoid(leaf["W1"] @ leaf["x"] + leaf["b1"])  # (2,)
((leaf["W2"] @ hidden + leaf["b2"] - y) ** 2).sum().backward()
g = grads  # the scalar pass, by name
scalar = {
    "W1": f64([[g["w11"], g["w12"]], [g["w21"], g["w22"]]]),
    "b1": f64([g["b1"], g["b2"]]),
    "W2": f64([[g["v1"], g["v2"]]]),
    "b2": f64([g["c"]]),
    "x": f64([g["x1"], g["x2"]]),
}
print("largest gap: to autograd, to scalars")
for name, mine in ours.items():
    gaps = [(mine - other).abs().max().item()
            for other in (leaf[name].grad, scalar[name])]
    shape = str(tuple(mine.shape))
    print(f"dL/d{name:<3}{shape:<7}{gaps[0]:9.1e}{gaps[1]:9.1e}")
    assert max(gaps) < 1e-15, name

# %% [markdown]
# ## Train with your own gradients
#
# Gradient descent on this one example: $p \leftarrow p - \alpha\,
# \partial L/\partial p$ for each of the nine parameters. The loss falls.
# The same loop with PyTorch’s gradients gives the same losses.

# %%
lr = 0.1
p = dict(params)
losses = []
for _ in range(20):
    cache = forward(p, x1, x2, y)
    losses.append(cache["loss"])
    g = backward(p, cache)
    p = {name: value - lr * g[name] for name, value in p.items()}

q = leaves(params)
torch_losses = []
for _ in range(20):
    a1 = torch.sigmoid(q["w11"] * x1 + q["w12"] * x2 + q["b1"])
    a2 = torch.sigmoid(q["w21"] * x1 + q["w22"] * x2 + q["b2"])
    loss = (q["v1"] * a1 + q["v2"] * a2 + q["c"] - y) ** 2
    torch_losses.append(loss.item())
    loss.backward()
    with torch.no_grad():
        for tensor in q.values():
            tensor -= lr * tensor.grad
            tensor.grad = None

for step in [0, 1, 2, 5, 10, 19]:
    print(f"step {step:2d}: by hand {losses[step]:.3e}"
          f"   PyTorch {torch_losses[step]:.3e}")
assert all(losses[k + 1] < losses[k] for k in range(19))
for mine, theirs in zip(losses, torch_losses, strict=True):
    assert abs(mine - theirs) < 1e-12

# %% [markdown]
# ## Your turn
#
# Each task below ships with one working answer so that the notebook runs
# from top to bottom. Delete the body of the function, write your own,
# and run the check cell under it: the asserts tell you whether you got
# it right.
#
# **Task 1: tanh hidden units.** Replace the sigmoid by $\tanh$ in both
# hidden units. Only one kind of edge changes: the local derivative of the
# activation, $\tanh'(z) = 1 - \tanh^2(z) = 1 - a^2$. Write
# `backward_tanh` and check it against PyTorch.

# %%
def forward_tanh(p, x1, x2, y):
    z1 = p["w11"] * x1 + p["w12"] * x2 + p["b1"]
    z2 = p["w21"] * x1 + p["w22"] * x2 + p["b2"]
    a1, a2 = math.tanh(z1), math.tanh(z2)
    y_hat = p["v1"] * a1 + p["v2"] * a2 + p["c"]
    loss = (y_hat - y) ** 2
    return {
        "x1": x1, "x2": x2, "y": y, "z1": z1, "z2": z2,
        "a1": a1, "a2": a2, "y_hat": y_hat, "loss": loss,
    }


def backward_tanh(p, cache):
    g = backward(p, cache)  # reuse what does not change
    for j in "12":
        a = cache[f"a{j}"]
        # the only new local derivative: tanh'(z) = 1 - a**2
        g[f"z{j}"] = g[f"a{j}"] * (1 - a**2)
        g[f"w{j}1"] = g[f"z{j}"] * cache["x1"]
        g[f"w{j}2"] = g[f"z{j}"] * cache["x2"]
        g[f"b{j}"] = g[f"z{j}"]
    g["x1"] = g["z1"] * p["w11"] + g["z2"] * p["w21"]
    g["x2"] = g["z1"] * p["w12"] + g["z2"] * p["w22"]
    return g


# %%
# Check for task 1
q = leaves(params)
a1 = torch.tanh(q["w11"] * x1 + q["w12"] * x2 + q["b1"])
a2 = torch.tanh(q["w21"] * x1 + q["w22"] * x2 + q["b2"])
((q["v1"] * a1 + q["v2"] * a2 + q["c"] - y) ** 2).backward()
mine = backward_tanh(params, forward_tanh(params, x1, x2, y))
for name, tensor in q.items():
    assert abs(mine[name] - tensor.grad.item()) < 1e-14, name
print("task 1: all nine parameter gradients match PyTorch")

# %% [markdown]
# **Task 2: a batch of two examples.** With two examples and the mean
# squared error $L = \frac12\bigl(L^{(1)} + L^{(2)}\bigr)$, every parameter
# is used by both examples: two paths again. So the gradient of the batch
# is the average of the two per-example gradients. Write `batch_grads`
# using `forward` and `backward`.

# %%
batch = [(1.0, 2.0, 0.3), (-1.5, 0.5, 0.8)]  # (x1, x2, y) pairs


def batch_grads(p, batch):
    each = [backward(p, forward(p, *ex)) for ex in batch]
    n = len(each)
    return {name: sum(g[name] for g in each) / n for name in p}


# %%
# Check for task 2
q = leaves(params)
data = torch.tensor(batch, dtype=torch.float64)  # (2, 3)
x1s, x2s, ys = data[:, 0], data[:, 1], data[:, 2]  # (2,) each
a1 = torch.sigmoid(q["w11"] * x1s + q["w12"] * x2s + q["b1"])
a2 = torch.sigmoid(q["w21"] * x1s + q["w22"] * x2s + q["b2"])
y_hat = q["v1"] * a1 + q["v2"] * a2 + q["c"]  # (2,)
((y_hat - ys) ** 2).mean().backward()
mine = batch_grads(params, batch)
for name, tensor in q.items():
    assert abs(mine[name] - tensor.grad.item()) < 1e-14, name
print("task 2: the batch gradient is the mean over the examples")

# %% [markdown]
# **Task 3: a step too far.** One gradient step with `lr = 0.1` lowered
# the loss. Find a learning rate for which one step from `params`
# *raises* the loss on the single example: the step overshoots the
# valley. ([Chapter 5](../../gradient-descent/) explains when and why.)

# %%
def loss_after_one_step(lr):
    g = backward(params, forward(params, x1, x2, y))
    stepped = {k: v - lr * g[k] for k, v in params.items()}
    return loss_of(stepped)


lr_too_big = 1.0  # try your own value

# %%
# Check for task 3
before = loss_of(params)
print(f"loss before: {before:.4f}")
for rate in [0.1, lr_too_big]:
    after = loss_after_one_step(rate)
    print(f"after one step with lr = {rate}: {after:.4f}")
assert loss_after_one_step(0.1) < before
assert loss_after_one_step(lr_too_big) > before
print("task 3: this learning rate overshoots")
