# %% [markdown]
# # Lab 7: When gradients fail
#
# Two experiments from [chapter 7](../../failures/), longer and with more
# knobs:
#
# 1. **Vanishing gradients across depth and activation.** How fast does the
#    gradient reaching the first layer shrink as the network gets deeper,
#    for sigmoid, tanh and ReLU, with PyTorch’s default initialisation and
#    with the initialisation made for each activation?
# 2. **A NaN hunt.** A model trains for one step and then every number is
#    `nan`. Find the operation responsible with `detect_anomaly`, fix it, and
#    check the fix.
#
# Every cell runs as shipped. The last section, “Your turn”, has tasks with
# checks you can run.

# %%
import copy
import math
import re
import warnings

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn

# %% [markdown]
# ## Part 1: vanishing gradients across depth
#
# `first_layer_grad(...)` builds a stack of `depth` linear layers of width
# 32, each followed by the activation, runs a batch through it with a mean
# squared error loss, and returns the gradient norms of the first and the
# last weight matrix. `init` is an optional function applied to every
# weight matrix (biases are then set to zero). It works in float64 unless
# told otherwise; the end of Part 1 shows why.

# %%
width = 32


def first_layer_grad(
    act, depth, init=None, residual=False, dtype=torch.float64
):
    torch.manual_seed(0)
    layers = [nn.Linear(width, width, dtype=dtype) for _ in range(depth)]
    if init is not None:
        for layer in layers:
            init(layer.weight)
            nn.init.zeros_(layer.bias)
    x = torch.randn(64, width, dtype=dtype)  # (64, width)
    y = torch.randn(64, width, dtype=dtype)
    h = x
    for layer in layers:
        h = h + act(layer(h)) if residual else act(layer(h))
    loss = ((h - y) ** 2).mean()
    loss.backward()
    first, last = layers[0].weight.grad, layers[-1].weight.grad
    return first.norm().item(), last.norm().item()


def he(w):
    return nn.init.kaiming_normal_(w, nonlinearity="relu")


activations = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "ReLU": torch.relu,
}
matched_init = {
    "sigmoid": nn.init.xavier_normal_,
    "tanh": nn.init.xavier_normal_,
    "ReLU": he,
}
depths = [2, 5, 10, 15, 20, 30]

# ratio first / last, for every activation, depth and initialisation
ratios = {}
for name, act in activations.items():
    for init_name in ("default", "matched"):
        init = matched_init[name] if init_name == "matched" else None
        row = []
        for depth in depths:
            first, last = first_layer_grad(act, depth, init)
            row.append(first / last)
        ratios[name, init_name] = row

print(f"{'activation':<11}{'init':<9}" + "".join(f"{d:>9}" for d in depths))
for (name, init_name), row in ratios.items():
    print(f"{name:<11}{init_name:<9}" + "".join(f"{r:9.0e}" for r in row))

# %% [markdown]
# Plot the ratio $\lVert \partial L/\partial W_1 \rVert / \lVert \partial
# L/\partial W_{\text{last}} \rVert$ against depth, on a log scale. A
# straight falling line means a constant shrink factor per layer.

# %% alt="Two panels sharing a log-scale y axis: the ratio of the first layer's gradient norm to the last layer's, against depth, for sigmoid (circles), tanh (squares) and ReLU (triangles); default initialisation on the left, matched initialisation on the right."
fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
styles = {"sigmoid": ("o", "-"), "tanh": ("s", "--"), "ReLU": ("^", ":")}
for ax, init_name in zip(axes, ("default", "matched"), strict=True):
    for name in activations:
        marker, ls = styles[name]
        ax.semilogy(
            depths,
            ratios[name, init_name],
            marker=marker,
            linestyle=ls,
            label=name,
        )
    ax.set_xlabel("depth (number of layers)")
    ax.set_title(f"{init_name} initialisation")
    ax.legend()
axes[0].set_ylabel("first-layer / last-layer gradient norm")
plt.show()

# %% [markdown]
# ### The shrink factor per layer
#
# For the default initialisation, fit a straight line to
# $\log(\text{ratio})$ against depth. Its slope, exponentiated, is the
# average factor by which each extra layer shrinks the gradient. For the
# sigmoid, the chapter’s typical factor is $\frac14 \times 0.58 \approx
# 0.145$: the sigmoid’s largest slope times the typical stretch of a
# default-initialised weight matrix (a typical value, not a bound).


# %%
def shrink_per_layer(row):
    d = torch.tensor(depths, dtype=torch.float64)
    logs = torch.log(torch.tensor(row, dtype=torch.float64))
    dc = d - d.mean()
    slope = (dc * (logs - logs.mean())).sum() / (dc**2).sum()
    return slope.exp().item()


for name in activations:
    default = shrink_per_layer(ratios[name, "default"])
    matched = shrink_per_layer(ratios[name, "matched"])
    print(f"{name:<8} default init: {default:.3f}   matched: {matched:.3f}")

# %% [markdown]
# With Xavier initialisation the weights keep the size of a vector, and the
# sigmoid’s factor moves up to just under $1/4$: what is left is the
# activation’s own slope. tanh and ReLU with their matched initialisation
# come out at about 1 per layer: no shrinking at all.
#
# ### Where the sigmoid’s slope sits
#
# The bound $\sigma' \le 1/4$ is reached only at $z = 0$. Record the mean
# slope $\sigma'(z)$ inside each layer of a 20-layer sigmoid stack: it is the
# activation’s share of the shrink factor.

# %%
torch.manual_seed(0)
layers = [nn.Linear(width, width) for _ in range(20)]
h = torch.randn(64, width)
mean_slopes = []
with torch.no_grad():
    for layer in layers:
        s = torch.sigmoid(layer(h))
        mean_slopes.append((s * (1 - s)).mean().item())
        h = s
print("mean sigma'(z) per layer:", [round(m, 3) for m in mean_slopes[::4]])

# %% [markdown]
# The slope stays just under $1/4$: the pre-activations are small, so the
# sigmoid is not saturated. The gradient vanishes anyway, because even the
# *best* slope is a factor of four.
#
# ### Why this lab uses float64
#
# The ratios above were computed in float64. Repeat the 30-layer sigmoid
# stack in float32 and look at the first layer’s gradient two ways: its
# largest entry, and its norm. Both runs use the same network, built once
# and cast to each precision, so the precision is the only difference.

# %%
torch.manual_seed(0)
stack64 = nn.Sequential(
    *[nn.Sequential(nn.Linear(width, width), nn.Sigmoid()) for _ in range(30)]
).double()
x64 = torch.randn(64, width, dtype=torch.float64)
for dtype in (torch.float32, torch.float64):
    stack = copy.deepcopy(stack64).to(dtype)  # the same weights, cast
    (stack(x64.to(dtype)) ** 2).mean().backward()
    g = stack[0][0].weight.grad
    print(
        f"{str(dtype):<14} largest entry {g.abs().max().item():.1e}, "
        f"norm {g.norm().item():.1e}"
    )

# %% [markdown]
# In float32 the entries are tiny but not zero, and yet the norm is exactly
# 0: computing a norm squares every entry, and the square of a number near
# $10^{-27}$ is far below the smallest positive float32 (about
# $10^{-45}$), so every square underflows. When you measure vanishing
# gradients, measure in float64, or look at the largest entry.

# %% [markdown]
# ## Part 2: a NaN hunt
#
# The model below reads *sets* of items of different sizes, padded with
# zeros to 6 items, with a boolean `mask` marking the real ones. It encodes
# each item with a small layer and a softplus (positive), zeroes the
# padding, and pools each set with a geometric mean over its real items,
# $\exp(\operatorname{mean}(\log h))$. The `torch.where` keeps the padding
# out of the mean. Train it and watch the loss.

# %%
torch.manual_seed(0)
n_sets, max_items = 128, 6
lengths = torch.randint(2, max_items + 1, (n_sets,))  # (128,)
mask = torch.arange(max_items) < lengths[:, None]  # (128, 6), bool
items = torch.randn(n_sets, max_items, 4) * mask[..., None]  # (128, 6, 4)
y = (items[..., 0] ** 2).sum(1, keepdim=True) / lengths[:, None] + 0.5


class GeoPool(nn.Module):
    def __init__(self):
        super().__init__()
        self.encode = nn.Linear(4, 8)
        self.head = nn.Linear(8, 1)

    def log_items(self, h):
        return torch.where(mask[..., None], torch.log(h), 0.0)

    def forward(self, items):
        h = F.softplus(self.encode(items)) * mask[..., None]  # (128, 6, 8)
        log_h = self.log_items(h)  # (128, 6, 8)
        pooled = torch.exp(log_h.sum(1) / lengths[:, None])  # (128, 8)
        return self.head(pooled)  # (128, 1)


def train(model, steps=30, lr=0.05):
    losses = []
    for _ in range(steps):
        loss = ((model(items) - y) ** 2).mean()
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= lr * p.grad
        losses.append(loss.item())
    return losses


torch.manual_seed(1)
losses = train(GeoPool())
print("losses:", [round(v, 4) for v in losses[:5]])
first_nan = next(i for i, v in enumerate(losses) if math.isnan(v))
print(f"first nan loss at step {first_nan}")

# %% [markdown]
# The loss at step 0 is a perfectly good number. So the forward pass was
# fine, and the first update wrote `nan` into the weights. Check the
# gradients of the very first step:

# %%
torch.manual_seed(1)
model = GeoPool()
loss = ((model(items) - y) ** 2).mean()
loss.backward()
print(f"loss = {loss.item():.4f} (finite)")
for name, p in model.named_parameters():
    bad = p.grad.isnan().sum().item()
    print(f"{name:<14} nan entries in grad: {bad} of {p.numel()}")

# %% [markdown]
# Only `encode` is affected, so the problem lies between the encoder and
# the head. Run that one step under `torch.autograd.detect_anomaly()`. It
# raises at the first backward function that returns `nan`, and warns with
# the forward line that created that function. The helper keeps only the
# innermost frame of the forward traceback, without file paths.


# %%
def forward_line(message):
    frames = re.findall(r'File "(.*)", line \d+, in (\S+)\n\s*(.+)', message)
    ours = [(fn, code) for path, fn, code in frames if "torch" not in path]
    function, code = ours[-1]
    return f"in {function}: {code.split('#')[0].strip()}"


def hunt(model):
    found = {"error": None, "line": None}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with torch.autograd.detect_anomaly():
                ((model(items) - y) ** 2).mean().backward()
        except RuntimeError as error:
            found["error"] = str(error)
    for warning in caught:
        if "Traceback of forward call" in str(warning.message):
            found["line"] = forward_line(str(warning.message))
    return found


torch.manual_seed(1)
found = hunt(GeoPool())
print(f"RuntimeError: {found['error']}")
print("forward line:")
print(f"    {found['line']}")

# %% [markdown]
# The culprit is `LogBackward0`, created in `log_items`. Multiplying by the
# mask made the padded entries of `h` exactly 0, so $\log h = -\infty$
# there. The `where` hides that in the forward pass. In the backward pass it
# sends a gradient of 0 to those entries, the log’s derivative $1/h$ is
# $\infty$, and $0 \cdot \infty = \text{nan}$. The multiplication by the
# mask then carries the `nan` into the encoder’s weights, because
# $\text{nan} \cdot 0$ is still `nan`.
#
# The fix is the *double where* from the chapter: make the log’s input safe
# before taking the log.


# %%
class GeoPoolFixed(GeoPool):
    def log_items(self, h):
        safe_h = torch.where(mask[..., None], h, 1.0)  # first where
        return torch.where(mask[..., None], torch.log(safe_h), 0.0)


torch.manual_seed(1)
fixed_losses = train(GeoPoolFixed(), steps=200)
print("losses:", [round(fixed_losses[i], 4) for i in (0, 10, 50, 100, 199)])
torch.manual_seed(1)
print("anomaly mode finds:", hunt(GeoPoolFixed()))

# %% [markdown]
# Same initial loss, no `nan`, and the loss falls. Anomaly mode finds
# nothing.
#
# ## Your turn
#
# Each task has a cell that ships completed, followed by a check. Change the
# cells, try your own ideas, and rerun the checks.
#
# **Task 1.** Find the smallest depth at which the first layer of a
# default-initialised sigmoid stack receives less than $10^{-6}$ of the last
# layer’s gradient norm.


# %%
def ratio(depth):
    first, last = first_layer_grad(torch.sigmoid, depth)
    return first / last


depth_needed = next(d for d in range(2, 40) if ratio(d) < 1e-6)
print(f"depth needed: {depth_needed}, ratio {ratio(depth_needed):.1e}")

# %%
assert ratio(depth_needed) < 1e-6
assert ratio(depth_needed - 1) >= 1e-6
print("task 1 check passed")

# %% [markdown]
# **Task 2.** Residual connections. Using the `residual=True` option of
# `first_layer_grad`, show that a 30-layer sigmoid stack with residual
# connections keeps the first-layer gradient within a factor of 1000 of the
# last layer’s, while the plain stack does not.

# %%
plain_first, plain_last = first_layer_grad(torch.sigmoid, 30)
res_first, res_last = first_layer_grad(torch.sigmoid, 30, residual=True)
print(f"plain:    {plain_first / plain_last:.1e}")
print(f"residual: {res_first / res_last:.1e}")

# %%
assert res_first / res_last > 1e-3
assert plain_first / plain_last < 1e-3
print("task 2 check passed")

# %% [markdown]
# **Task 3.** A second fix for the NaN hunt. The zeros came from
# multiplying by the mask *before* the log. Write `GeoPoolNoMask`, whose
# `forward` does not multiply `h` by the mask and relies on the single
# `where` alone. Softplus is positive in exact arithmetic, but in float32 it
# rounds to 0 below about $-104$, and then the log is $-\infty$ again; the
# cell prints how far this encoder’s inputs to softplus stay from that.
# Check that its gradients contain no `nan` and that it trains.


# %%
class GeoPoolNoMask(GeoPool):
    def forward(self, items):
        h = F.softplus(self.encode(items))  # (128, 6, 8), all positive
        log_h = self.log_items(h)
        pooled = torch.exp(log_h.sum(1) / lengths[:, None])
        return self.head(pooled)


torch.manual_seed(1)
no_mask = GeoPoolNoMask()
print(f"float32 softplus(-104) = {F.softplus(torch.tensor(-104.0)).item()}")
lowest = no_mask.encode(items).min().item()
print(f"lowest input to softplus at the start: {lowest:.2f}")
no_mask_losses = train(no_mask, steps=100)
print("losses:", [round(no_mask_losses[i], 4) for i in (0, 50, 99)])

# %%
torch.manual_seed(1)
assert hunt(GeoPoolNoMask())["error"] is None
assert not any(math.isnan(v) for v in no_mask_losses)
assert no_mask_losses[-1] < 0.5 * no_mask_losses[0]
print("task 3 check passed")

# %% [markdown]
# **Task 4.** Depth does not hurt a well-initialised ReLU stack. Check that
# with He initialisation a 50-layer ReLU stack keeps the first/last ratio
# between 0.1 and 10. Then try `init=None` and see what happens.

# %%
first, last = first_layer_grad(torch.relu, 50, init=he)
print(f"He init, 50 layers: ratio {first / last:.2f}")
assert 0.1 < first / last < 10
print("task 4 check passed")
