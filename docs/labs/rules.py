# %% [markdown]
# # Lab 2: The rules, by experiment
#
# Chapter 2 stated ten derivative rules and checked each one with a
# ready-made script at a thousand random points. In this lab you will
#
# 1. build such a checker yourself, comparing a derivative formula with
#    central differences and with autograd at a thousand random points;
# 2. build your own derivative table from a few building blocks and the
#    sum, product and quotient rules, then test it against PyTorch;
# 3. discover $e$ as the one base whose exponential is its own derivative.
#
# Every cell runs as shipped. The last section has tasks for you, each
# with a check you can run.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import torch

rng = np.random.default_rng(0)

# %% [markdown]
# ## 1. A checker for derivative formulas
#
# A formula `df_dx` for the derivative of `f` passes if it agrees with a
# central difference $\frac{f(x + h) - f(x - h)}{2h}$ and with autograd,
# at many random points. We divide each error by $1 + |f'(x)|$: for a
# large slope that is about the *relative* error, so a slope of 1000 is
# not held to a stricter standard than a slope of 10; for a slope near 0
# it is the absolute error, which does not blow up when $f'(x)$ is 0.


# %%
def central(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def autograd(f, x):
    x = x.clone().requires_grad_()
    (df_dx,) = torch.autograd.grad(f(x).sum(), x)  # elementwise f only
    return df_dx


def check(f, df_dx, low=0.2, high=3.0, n=1000):
    # the worst error of the formula against both references, scaled
    # by 1 + |f'|: relative for large slopes, absolute for small ones
    x = torch.tensor(
        rng.uniform(low, high, size=n), dtype=torch.float64
    )
    formula = df_dx(x)
    scale = 1 + formula.abs()
    return (
        ((central(f, x) - formula).abs() / scale).max().item(),
        ((autograd(f, x) - formula).abs() / scale).max().item(),
    )


# %% [markdown]
# Every rule of the chapter, plus a few combinations:

# %%
rules = {
    "7": (lambda x: 7 + 0 * x, lambda x: 0 * x),  # 0 * x: linked to x
    "x^5": (lambda x: x**5, lambda x: 5 * x**4),
    "x^-1.5": (lambda x: x**-1.5, lambda x: -1.5 * x**-2.5),
    "e^x": (torch.exp, torch.exp),
    "ln x": (torch.log, lambda x: 1 / x),
    "sin x": (torch.sin, torch.cos),
    "cos x": (torch.cos, lambda x: -torch.sin(x)),
    "4 cos x": (lambda x: 4 * torch.cos(x), lambda x: -4 * torch.sin(x)),
    "x^2 + cos x": (
        lambda x: x**2 + torch.cos(x),
        lambda x: 2 * x - torch.sin(x),
    ),
    "x e^x": (
        lambda x: x * torch.exp(x),
        lambda x: (1 + x) * torch.exp(x),
    ),
    "ln x / x": (
        lambda x: torch.log(x) / x,
        lambda x: (1 - torch.log(x)) / x**2,
    ),
}
print(f"{'f(x)':12} {'central':>9} {'autograd':>9}")
for name, (f, df_dx) in rules.items():
    err_central, err_auto = check(f, df_dx)
    print(f"{name:12} {err_central:9.1e} {err_auto:9.1e}")
    assert err_central < 1e-8 and err_auto < 1e-12

# %% [markdown]
# A wrong formula stands out at once. Here is the most common slip, the
# “product of derivatives” rule $(fg)' = f'g'$, for $x e^x$:

# %%
wrong = check(lambda x: x * torch.exp(x), lambda x: 1 * torch.exp(x))
print(f"worst scaled error of (x e^x)' = e^x: {wrong[0]:.2f}")
assert wrong[0] > 0.1

# %% [markdown]
# ## 2. Build your own derivative table
#
# A differentiable function can travel as a *pair*: its value function and
# its derivative function. The rules then become operations on pairs:
#
# - sum: $(f, f') + (g, g') = (f + g,\ f' + g')$
# - product: $(f, f') \cdot (g, g') = (fg,\ f'g + fg')$
# - quotient: $(f, f') / (g, g') = (f/g,\ (f'g - fg')/g^2)$
#
# Python’s operator overloading lets us write `X * SIN + 3` and get both
# the function and its derivative. (Chapter 6 turns this idea, applied to
# numbers instead of functions, into forward-mode automatic
# differentiation.)


# %%
class Pair:
    def __init__(self, f, df):
        self.f, self.df = f, df

    @staticmethod
    def lift(other):
        if isinstance(other, Pair):
            return other
        return Pair(
            lambda x: other + 0 * x, lambda x: 0 * x
        )  # constant

    def __add__(self, other):
        g = Pair.lift(other)
        return Pair(
            lambda x: self.f(x) + g.f(x), lambda x: self.df(x) + g.df(x)
        )

    def __mul__(self, other):
        g = Pair.lift(other)
        return Pair(
            lambda x: self.f(x) * g.f(x),
            lambda x: self.df(x) * g.f(x) + self.f(x) * g.df(x),
        )

    def __truediv__(self, other):
        g = Pair.lift(other)
        return Pair(
            lambda x: self.f(x) / g.f(x),
            lambda x: (
                (self.df(x) * g.f(x) - self.f(x) * g.df(x))
                / g.f(x) ** 2
            ),
        )

    __radd__ = __add__
    __rmul__ = __mul__


X = Pair(lambda x: x, lambda x: 1 + 0 * x)
EXP = Pair(np.exp, np.exp)
LOG = Pair(np.log, lambda x: 1 / x)
SIN = Pair(np.sin, np.cos)
COS = Pair(np.cos, lambda x: -np.sin(x))

# %% [markdown]
# The building blocks are NumPy functions: nothing here knows about
# autograd. Build a few expressions and compare the derivative they carry
# with PyTorch’s autograd on the same expression written in torch:

# %%
table = {
    "x^3": (X * X * X, lambda t: t**3),
    "3x^2 + 2": (3 * X * X + 2, lambda t: 3 * t**2 + 2),
    "x^2 sin x": (X * X * SIN, lambda t: t**2 * torch.sin(t)),
    "e^x / (1 + e^x)": (
        EXP / (1 + EXP),
        lambda t: torch.exp(t) / (1 + torch.exp(t)),
    ),
    "ln x / (x + cos x)": (
        LOG / (X + COS),
        lambda t: torch.log(t) / (t + torch.cos(t)),
    ),
}
x = rng.uniform(0.3, 3.0, size=500)  # (500,)
print(
    f"{'expression':20} {'at x[0]':>10} {'autograd':>10} {'worst gap':>10}"
)
for name, (pair, torch_f) in table.items():
    mine = pair.df(x)
    theirs = autograd(
        torch_f, torch.tensor(x, dtype=torch.float64)
    ).numpy()
    gap = np.abs(mine - theirs).max()
    print(f"{name:20} {mine[0]:10.6f} {theirs[0]:10.6f} {gap:10.1e}")
    assert np.allclose(mine, theirs, rtol=1e-12, atol=1e-12)

# %% [markdown]
# The fourth row is the sigmoid $\sigma(x) = e^x / (1 + e^x)$, so its
# derivative must equal $\sigma(1 - \sigma)$:

# %%
sigmoid = EXP / (1 + EXP)
s = sigmoid.f(x)
gap = np.abs(sigmoid.df(x) - s * (1 - s)).max()
print(f"largest gap to s(1 - s): {gap:.1e}")
assert np.allclose(sigmoid.df(x), s * (1 - s))

# %% [markdown]
# ## 3. Discovering e
#
# For any base $a$, $\frac{d}{dx} a^x = a^x \cdot k(a)$, where
# $k(a) = \lim_{h \to 0} \frac{a^h - 1}{h}$ is the slope of $a^x$ at 0.
# Only one base has $k(a) = 1$. Let us find it without using `math.e`
# or a logarithm: measure the slope at 0 with a central difference, and
# bisect.


# %%
def slope_at_zero(a, h=1e-6):
    return (a**h - a**-h) / (2 * h)


low, high = 2.0, 3.0  # slope_at_zero(2) < 1 < slope_at_zero(3)
assert slope_at_zero(low) < 1 < slope_at_zero(high)
for _ in range(40):
    middle = (low + high) / 2
    if slope_at_zero(middle) < 1:
        low = middle
    else:
        high = middle
print(f"found: {middle:.9f}")
print(f"e:     {math.e:.9f}")
assert abs(middle - math.e) < 1e-8

# %% [markdown]
# The slope at 0 grows with the base like $\ln a$, and crosses 1 at $e$:

# %% alt="The measured slope of a^x at x = 0 against the base a from 1.5 to 4 (solid line), lying on ln a (orange dots); it crosses the dashed line at slope 1 where the dotted vertical line marks a = e."
bases = np.linspace(1.5, 4.0, 101)
fig, ax = plt.subplots()
ax.plot(
    bases,
    slope_at_zero(bases),
    color="black",
    label="slope of $a^x$ at 0 (measured)",
)
ax.plot(
    bases[::5],
    np.log(bases[::5]),
    "o",
    color="tab:orange",
    label="ln a",
)
ax.axhline(1, linestyle="--", color="tab:blue", label="slope 1")
ax.axvline(math.e, linestyle=":", color="tab:blue", label="a = e")
ax.set(
    xlabel="base a",
    ylabel="slope at x = 0",
    title="Only base e has slope 1 at 0",
)
ax.legend()
plt.show()

# %% [markdown]
# ## Your turn
#
# Each task below runs as shipped. Change the code to try your own
# answer; the `assert` lines tell you whether it is right.
#
# **Task 1.** Add the tangent to the table: build `TAN` from `SIN` and
# `COS` with the quotient rule, and check it against `torch.tan`.

# %%
TAN = SIN / COS
mine = TAN.df(x[x < 1.5])  # stay away from the pole at pi/2
theirs = autograd(torch.tan, torch.tensor(x[x < 1.5])).numpy()
assert np.allclose(mine, theirs), "TAN.df does not match autograd"
print("Task 1 passes: tan' = 1 / cos^2")

# %% [markdown]
# **Task 2.** By hand, find the derivative of $x \ln x$ and write it as
# `df_dx`. The checker from section 1 tells you if it is right.


# %%
def df_dx(x):
    return 1 + torch.log(x)


err_central, err_auto = check(lambda x: x * torch.log(x), df_dx)
assert err_central < 1e-8 and err_auto < 1e-12, "not the derivative"
print(f"Task 2 passes (worst error {err_auto:.1e})")

# %% [markdown]
# **Task 3.** Which base $b$ has $\frac{d}{dx} b^x = 2\,b^x$? Adapt the
# bisection of section 3, then compare your answer with $e^2$.

# %%
low, high = 2.0, 10.0
for _ in range(50):
    middle = (low + high) / 2
    if slope_at_zero(middle) < 2:
        low = middle
    else:
        high = middle
b = middle
print(f"b = {b:.6f}, e^2 = {math.e**2:.6f}")
assert abs(b - math.e**2) < 1e-6

# %% [markdown]
# **Task 4.** Show numerically that $\sigma(x)\,(1 - \sigma(x)) =
# \sigma(x)\,\sigma(-x)$, then say in one line why it is true.
# (Hint: what is $1 - \frac{e^x}{1 + e^x}$?)

# %%
t = torch.linspace(-10, 10, 201, dtype=torch.float64)
left = torch.sigmoid(t) * (1 - torch.sigmoid(t))
right = torch.sigmoid(t) * torch.sigmoid(-t)
assert torch.allclose(left, right)
print("Task 4 passes: 1 - sigma(x) = 1 / (1 + e^x) = sigma(-x)")
