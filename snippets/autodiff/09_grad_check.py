# --8<-- [start:check]
import torch


def relative_error(a, b):
    return ((a - b).norm() / max(a.norm(), b.norm(), 1e-30)).item()


def numerical_grad(f, x, h):  # central differences, one input at a time
    g = torch.zeros_like(x)
    for i in range(x.numel()):
        e = torch.zeros_like(x)
        e.view(-1)[i] = h
        g.view(-1)[i] = (f(x + e) - f(x - e)) / (2 * h)
    return g


def autograd_grad(f, x):
    x = x.detach().requires_grad_()
    f(x).backward()
    return x.grad


# --8<-- [end:check]


# --8<-- [start:sweep]
torch.manual_seed(0)
X = torch.randn(20, 5, dtype=torch.float64)  # (20, 5)
t = torch.sign(X @ torch.randn(5, dtype=torch.float64))  # (20,) labels ±1
w0 = torch.randn(5, dtype=torch.float64)  # (5,) where we check


def loss_fn(w):  # logistic regression: mean of softplus(-t * Xw)
    z = X.to(w.dtype) @ w
    return torch.nn.functional.softplus(-t.to(w.dtype) * z).mean()


print(f"{'dtype':>8} {'h':>7} {'relative error':>15}")
for dtype in [torch.float64, torch.float32]:
    w = w0.to(dtype)
    for h in [1e-2, 1e-4, 1e-6]:
        error = relative_error(
            numerical_grad(loss_fn, w, h), autograd_grad(loss_fn, w)
        )
        print(f"{str(dtype)[6:]:>8} {h:>7.0e} {error:>15.1e}")
# --8<-- [end:sweep]


# --8<-- [start:bug]
def hand_grad(w, buggy):  # dL/dw = -X^T (t * sigmoid(-t z)) / n
    g = -X.T @ (t * torch.sigmoid(-t * (X @ w)))
    return g if buggy else g / len(t)


reference = numerical_grad(loss_fn, w0, 1e-6)
for buggy in [False, True]:
    error = relative_error(hand_grad(w0, buggy), reference)
    print(f"forgot the 1/n: {buggy!s:>5}  relative error {error:.1e}")
assert relative_error(hand_grad(w0, False), reference) < 1e-7
# --8<-- [end:bug]
