# %% [markdown]
# # Lab 1: Measuring derivatives
#
# Chapter 1 swept the step size $h$ for one function at one point. In this
# lab you run the same experiment on several functions, see when the
# textbook rules for the best $h$ hold and when they do not, and compute the
# derivative of $\tanh$ three ways: finite differences, autograd and the
# formula $1 - \tanh^2 x$.
#
# Every cell runs in a few seconds on a CPU. Run them in order.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import torch

# %% [markdown]
# ## 1. Three finite differences, one helper each
#
# All three take a function, a point and a step. The `dtype` argument lets
# you repeat a computation in float32: the point and the step are converted
# first, so every operation happens in that precision.


# %%
def forward(f, x, h, dtype=np.float64):
    x, h = dtype(x), dtype(h)
    return (f(x + h) - f(x)) / h


def backward(f, x, h, dtype=np.float64):
    x, h = dtype(x), dtype(h)
    return (f(x) - f(x - h)) / h


def central(f, x, h, dtype=np.float64):
    x, h = dtype(x), dtype(h)
    return (f(x + h) - f(x - h)) / (2 * h)


def relative_error(approx, exact):
    return abs(float(approx) - exact) / abs(exact)


print(central(np.sin, 1.0, 1e-5), math.cos(1.0))

# %% [markdown]
# ## 2. The h sweep on several functions
#
# Each test case is a function, a point $a$ and the exact derivative there.
# The last two are chosen to break the rules of thumb: $\sin$ at $a = 1000$
# has a large input, and $\sqrt{x}$ at $10^{-4}$ curves sharply.

# %%
cases = {
    "sin at 1": (np.sin, 1.0, math.cos(1.0)),
    "exp at 0": (np.exp, 0.0, 1.0),
    "x³ at 2": (lambda x: x**3, 2.0, 12.0),
    "log at 0.5": (np.log, 0.5, 2.0),
    "sin at 1000": (np.sin, 1000.0, math.cos(1000.0)),
    "sqrt at 1e-4": (np.sqrt, 1e-4, 0.5 / math.sqrt(1e-4)),
}
hs = 10.0 ** np.linspace(-16, 0, 81)  # (81,)


def sweep(f, a, exact, method, dtype=np.float64):
    with np.errstate(invalid="ignore"):  # log or sqrt of a negative: nan
        errors = [relative_error(method(f, a, h, dtype), exact) for h in hs]
    errors = np.nan_to_num(errors, nan=np.inf)  # (81,), nan counts as inf
    return np.maximum(errors, 1e-17)  # 0 drawn at 1e-17


def best_h(errors):
    smooth = np.convolve(np.log10(errors), np.ones(3) / 3, mode="same")
    i = np.argmin(smooth[1:-1]) + 1
    return hs[i], errors[i]


eps = np.finfo(np.float64).eps
print(f"sqrt(eps) = {np.sqrt(eps):.1e}, cbrt(eps) = {np.cbrt(eps):.1e}")
print(
    f"{'case':<13} {'fwd best h':>10} {'error':>8} {'ctr best h':>10} "
    f"{'error':>8}"
)
for name, (f, a, exact) in cases.items():
    h_f, e_f = best_h(sweep(f, a, exact, forward))
    h_c, e_c = best_h(sweep(f, a, exact, central))
    print(f"{name:<13} {h_f:>10.1e} {e_f:>8.1e} {h_c:>10.1e} {e_c:>8.1e}")

# %% [markdown]
# For the first four cases the best steps sit within a small factor of
# $\sqrt{\varepsilon}$ and $\sqrt[3]{\varepsilon}$. For $\sin$ at 1000 they
# are larger and the errors worse: $a + h$ is rounded relative to $a$, so
# the step you actually take is off by about $\varepsilon \cdot 1000$, and a
# larger $h$ is needed to keep that small. For $\sqrt{x}$ at $10^{-4}$ they
# are much smaller: the function curves so sharply there that truncation
# error dominates until $h$ is tiny compared with $a$. The rules of thumb
# are for quantities of size about 1; otherwise scale $h$ with $|a|$.
#
# The same sweeps as pictures:

# %% alt="Six log-log panels, one per case in the table above (sin at 1, exp at 0, x³ at 2, log at 0.5, sin at 1000, sqrt at 1e-4), each plotting relative error against the step h for the forward difference (solid black) and the central difference (dashed blue)."
fig, axes = plt.subplots(3, 2, figsize=(9, 10), sharex=True, sharey=True)
for ax, (name, (f, a, exact)) in zip(axes.flat, cases.items(), strict=True):
    ax.loglog(
        hs, sweep(f, a, exact, forward), "-", color="black", label="forward"
    )
    ax.loglog(
        hs,
        sweep(f, a, exact, central),
        "--",
        color="tab:blue",
        label="central",
    )
    ax.set_title(name)
    ax.set_ylim(1e-17, 10)
for ax in axes[-1]:
    ax.set_xlabel("h")
for ax in axes[:, 0]:
    ax.set_ylabel("relative error")
axes[0, 0].legend()
fig.suptitle("Forward (solid) and central (dashed) differences, float64")
plt.show()

# %% [markdown]
# ## 3. The error orders, measured
#
# Taylor’s expansion predicts that the forward error is $O(h)$ and the
# central error $O(h^2)$. On a log-log plot that is a slope of 1 or 2, so
# fit a line to $\log(\text{error})$ against $\log h$ in a range where
# truncation dominates for every method here, $10^{-2} \le h \le 10^{-1}$.
# Go lower and the more accurate formulas meet round-off; the check of
# task 1 shows it for the five-point formula.


# %%
def order(f, a, exact, method):
    small = np.logspace(-2, -1, 9)  # (9,)
    errors = [relative_error(method(f, a, h), exact) for h in small]
    slope, _ = np.polyfit(np.log10(small), np.log10(errors), 1)
    return slope


for name, (f, a, exact) in list(cases.items())[:4]:
    print(
        f"{name:<11} forward order {order(f, a, exact, forward):.2f}, "
        f"backward {order(f, a, exact, backward):.2f}, "
        f"central {order(f, a, exact, central):.2f}"
    )

# %% [markdown]
# ## 4. The derivative of tanh, three ways
#
# $\tanh$ is a classic activation function. Chapter 2 derives its
# derivative, $\frac{d}{dx}\tanh x = 1 - \tanh^2 x$. Here you compute it
# by a central difference, by autograd and by that formula, in float64.
#
# To judge all three fairly you need a reference that is accurate
# everywhere. Since $\cosh^2 x - \sinh^2 x = 1$, the same derivative is
# also $1 / \cosh^2 x$, which involves no subtraction.

# %%
x = np.linspace(-8, 8, 161)  # (161,)
reference = 1 / np.cosh(x) ** 2
formula = 1 - np.tanh(x) ** 2
finite = central(np.tanh, x, 1e-5)

xt = torch.tensor(x, requires_grad=True)  # float64, (161,)
torch.tanh(xt).sum().backward()
autograd = xt.grad.numpy()

methods = {
    "central difference": finite,
    "1 - tanh(x)**2": formula,
    "autograd": autograd,
}
for name, values in methods.items():
    print(
        f"{name:<19} largest absolute error "
        f"{np.max(np.abs(values - reference)):.1e}"
    )
assert np.allclose(formula, reference, rtol=0, atol=1e-15)

# %% [markdown]
# In absolute terms all three agree with the reference. Relative error
# tells a different story in the tails, where the derivative is tiny:

# %% alt="Left: tanh x and its derivative (dashed) for the x values above. Right: the relative error of the central difference, the formula 1 - tanh(x)**2 and autograd against 1 / cosh² x, on a log scale, one line style per method."
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
left.plot(x, np.tanh(x), color="black", label="tanh x")
left.plot(x, reference, "--", color="tab:blue", label="its derivative")
left.set(xlabel="x", title="tanh and its derivative")
left.legend()
for (name, values), style in zip(
    methods.items(), ["-", "--", ":"], strict=True
):
    relative = np.abs(values - reference) / reference
    right.semilogy(x, np.maximum(relative, 1e-17), style, label=name)
right.set(
    xlabel="x",
    ylabel="relative error (0 drawn at 1e-17)",
    title="Relative error against 1 / cosh² x",
)
right.legend()
plt.show()

for x0 in [0.0, 4.0, 8.0]:
    i = np.argmin(np.abs(x - x0))
    errors = [abs(v[i] / reference[i] - 1) for v in methods.values()]
    print(
        f"x = {x0}: derivative {reference[i]:.1e}, relative errors "
        + ", ".join(f"{e:.0e}" for e in errors)
    )

# %% [markdown]
# In the tails $\tanh x$ is within a hair of $\pm 1$. Both the central
# difference and `1 - tanh(x)**2` subtract two numbers that agree in almost
# every digit, so their rounding errors, tiny in absolute terms, are large
# *relative to* the small derivative. Autograd computes its backward pass
# for `tanh` from the saved output $y = \tanh x$ as $1 - y^2$, so it
# inherits the same cancellation. None of this matters much for training,
# where such tiny gradients are effectively zero anyway, but it is why a
# gradient check should use relative error with care where derivatives are
# tiny. Chapter 7 returns to stable formulas.

# %% [markdown]
# ## Your turn
#
# Each task has a cell to complete and a check below it. The cells ship
# with one possible solution, so the checks pass as you receive them:
# replace the solution with your own and run the check again.
#
# **Task 1.** Write `five_point(f, x, h)`, the five-point central
# difference
# $\frac{-f(x + 2h) + 8f(x + h) - 8f(x - h) + f(x - 2h)}{12h}$. Its
# truncation error is $O(h^4)$, about $\frac{|f^{(5)}(x)|}{30}h^4$. The
# check measures the order with `order` from part 3 and expects a slope
# near 4. It also compares the error at $h = 10^{-3}$ with that truncation
# estimate: round-off has already taken over there.


# %%
def five_point(f, x, h, dtype=np.float64):
    x, h = dtype(x), dtype(h)
    near = f(x + h) - f(x - h)
    far = f(x + 2 * h) - f(x - 2 * h)
    return (8 * near - far) / (12 * h)


# %%
slope = order(np.sin, 1.0, math.cos(1.0), five_point)
print(f"measured order of five_point: {slope:.2f}")
assert 3.9 < slope < 4.1
for h in [1e-2, 1e-3]:
    error = relative_error(five_point(np.sin, 1.0, h), math.cos(1.0))
    truncation = h**4 / 30  # relative: sin's fifth derivative is cos
    print(f"h = {h}: error {error:.1e}, truncation alone {truncation:.1e}")
    if h == 1e-2:
        assert abs(error / truncation - 1) < 0.05
assert error > 3 * truncation  # at h = 1e-3, round-off dominates

# %% [markdown]
# **Task 2.** The truncation error of `five_point` is about $c\,h^4$ and
# its round-off about $\varepsilon / h$, so its best step should be near
# $\varepsilon^{1/5}$. Find the best step for $\sin$ at 1 with `sweep`
# and `best_h`, and store it in `best_five`.

# %%
best_five, error_five = best_h(sweep(np.sin, 1.0, math.cos(1.0), five_point))
print(
    f"best h {best_five:.1e} (error {error_five:.1e}), "
    f"eps ** (1 / 5) = {eps**0.2:.1e}"
)

# %%
assert eps**0.2 / 10 < best_five < eps**0.2 * 10
assert error_five < 1e-12

# %% [markdown]
# **Task 3.** Write `sigmoid_grad(x)`, the derivative of the logistic
# sigmoid $\sigma(x) = 1 / (1 + e^{-x})$, using the identity
# $\sigma'(x) = \sigma(x)(1 - \sigma(x))$ (chapter 2 derives it). The check
# compares it with autograd and with a central difference in float64.


# %%
def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_grad(x):
    s = sigmoid(x)
    return s * (1 - s)


# %%
x = np.linspace(-8, 8, 33)  # (33,)
xt = torch.tensor(x, requires_grad=True)
torch.sigmoid(xt).sum().backward()
assert np.allclose(sigmoid_grad(x), xt.grad.numpy(), rtol=1e-12, atol=0)
assert np.allclose(sigmoid_grad(x), central(sigmoid, x, 1e-5), rtol=1e-6)
print("sigmoid_grad agrees with autograd and with finite differences")

# %% [markdown]
# **Task 4.** Repeat the h sweep of part 2 in float32 for `"exp at 0"`.
# Store the forward and central best steps in `h_f32` and `h_c32`, and check
# them against $\sqrt{\varepsilon}$ and $\sqrt[3]{\varepsilon}$ for
# float32.

# %%
f, a, exact = cases["exp at 0"]
h_f32, _ = best_h(sweep(f, a, exact, forward, np.float32))
h_c32, _ = best_h(sweep(f, a, exact, central, np.float32))
eps32 = np.finfo(np.float32).eps
print(f"float32 forward: best h {h_f32:.1e}, sqrt(eps) {np.sqrt(eps32):.1e}")
print(f"float32 central: best h {h_c32:.1e}, cbrt(eps) {np.cbrt(eps32):.1e}")

# %%
assert np.sqrt(eps32) / 5 < h_f32 < np.sqrt(eps32) * 5
assert np.cbrt(eps32) / 5 < h_c32 < np.cbrt(eps32) * 5
