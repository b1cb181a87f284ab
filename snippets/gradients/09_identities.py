import torch
from torch.func import grad

torch.manual_seed(0)
n = 4
kw = {"dtype": torch.float64}
x = torch.randn(n, **kw)  # (n,)
a = torch.randn(n, **kw)  # (n,)
A = torch.randn(n, n, **kw)  # (n, n), not symmetric
S = A + A.T  # (n, n), symmetric
M = torch.randn(3, n, **kw)  # (3, n)
c = torch.randn(3, **kw)  # (3,)

# (f as LaTeX, gradient as LaTeX, f, gradient by hand)
rows = [
    (
        r"\mathbf{a}^\top\mathbf{x}",
        r"\mathbf{a}",
        lambda x: a @ x,
        lambda x: a,
    ),
    (
        r"\mathbf{x}^\top\mathbf{x}",
        r"2\mathbf{x}",
        lambda x: x @ x,
        lambda x: 2 * x,
    ),
    (
        r"\mathbf{x}^\top A\mathbf{x}",
        r"(A + A^\top)\mathbf{x}",
        lambda x: x @ A @ x,
        lambda x: (A + A.T) @ x,
    ),
    (
        r"\mathbf{x}^\top S\mathbf{x},\ S = S^\top",
        r"2S\mathbf{x}",
        lambda x: x @ S @ x,
        lambda x: 2 * S @ x,
    ),
    (
        r"\lVert M\mathbf{x} - \mathbf{c}\rVert^2",
        r"2M^\top(M\mathbf{x} - \mathbf{c})",
        lambda x: ((M @ x - c) ** 2).sum(),
        lambda x: 2 * M.T @ (M @ x - c),
    ),
]
print(
    r"| function \(f(\mathbf{x})\) | gradient \(\nabla f(\mathbf{x})\)"
    " | shape"
    " | max difference from autograd |"
)
print("|---|---|---|--:|")
for f_tex, grad_tex, f, by_hand in rows:
    expected, from_autograd = by_hand(x), grad(f)(x)
    error = (expected - from_autograd).abs().max().item()
    assert expected.shape == x.shape and error < 1e-12
    print(
        f"| \\({f_tex}\\) | \\({grad_tex}\\) | {tuple(expected.shape)}"
        f" | {error:.1e} |"
    )
