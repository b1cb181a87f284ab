import numpy as np
import torch
from torch import cos, exp, log, sin

RULES = [
    # (rule, f as text, f, the rule's formula for f')
    # The constant 5 is written 5 + 0·x, a tensor that autograd links to x.
    ("constant", "5", lambda x: 5 + 0 * x, lambda x: 0 * x),
    ("power", "x³", lambda x: x**3, lambda x: 3 * x**2),
    ("power", "1/√x", lambda x: x**-0.5, lambda x: -0.5 * x**-1.5),
    ("exp", "eˣ", exp, exp),
    ("log", "ln x", log, lambda x: 1 / x),
    ("sine", "sin x", sin, cos),
    ("cosine", "cos x", cos, lambda x: -sin(x)),
    ("multiple", "4 sin x", lambda x: 4 * sin(x), lambda x: 4 * cos(x)),
    (
        "sum",
        "x³ + sin x",
        lambda x: x**3 + sin(x),
        lambda x: 3 * x**2 + cos(x),
    ),
    (
        "product",
        "x² sin x",
        lambda x: x**2 * sin(x),
        lambda x: 2 * x * sin(x) + x**2 * cos(x),
    ),
    (
        "quotient",
        "sin x / x",
        lambda x: sin(x) / x,
        lambda x: (x * cos(x) - sin(x)) / x**2,
    ),
]


def central(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def autograd(f, x):
    x = x.clone().requires_grad_()
    # autograd.grad returns the derivative instead of adding it to x.grad
    (df_dx,) = torch.autograd.grad(f(x).sum(), x)
    return df_dx


rng = np.random.default_rng(0)
print(
    f"{'rule':9} {'f(x)':12} {'x':>5} {'formula':>10} {'central':>10} "
    f"{'autograd':>10}"
)
for rule, text, f, df_dx in RULES:
    x = torch.tensor(rng.uniform(0.5, 3.0), dtype=torch.float64)
    print(
        f"{rule:9} {text:12} {x:5.2f} {df_dx(x):10.6f} "
        f"{central(f, x):10.6f} {autograd(f, x):10.6f}"
    )

worst_autograd, worst_central = 0.0, 0.0
for _, _, f, df_dx in RULES:
    x = torch.tensor(rng.uniform(0.5, 3.0, size=1000), dtype=torch.float64)
    formula = df_dx(x)
    scale = 1 + formula.abs()  # relative error for big slopes
    errors = (autograd(f, x) - formula).abs() / scale
    worst_autograd = max(worst_autograd, errors.max().item())
    errors = (central(f, x) - formula).abs() / scale
    worst_central = max(worst_central, errors.max().item())
print(f"{len(RULES)} rules at 1000 random points each, worst error:")
print(f"  autograd vs formula: {worst_autograd:.1e}")
print(f"  central  vs formula: {worst_central:.1e}")
assert worst_autograd < 1e-12 and worst_central < 1e-8
