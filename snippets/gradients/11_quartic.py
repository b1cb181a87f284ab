# ruff: noqa: E402
# --8<-- [start:classify]
import numpy as np
import torch
from torch.func import grad


def f(x):
    return x**4 - 4 * x**3 + 4 * x**2 + 1


df_dx = grad(f)
d2f_dx2 = grad(grad(f))

# f'(x) = 4x³ - 12x² + 8x: its roots are the critical points
critical = np.sort(np.roots([4.0, -12.0, 8.0, 0.0]).real)
print("   x     f(x)   f'(x)   f''(x)   kind")
for c in critical:
    x = torch.tensor(c, dtype=torch.float64)
    curvature = d2f_dx2(x).item()
    kind = "minimum" if curvature > 0 else "maximum"
    print(
        f"{c:4.1f} {f(x).item():8.3f} {df_dx(x).item():7.1e}"
        f" {curvature:7.1f}   local {kind}"
    )
    assert abs(df_dx(x).item()) < 1e-9
    assert abs(curvature - (12 * c**2 - 24 * c + 8)) < 1e-9
assert np.allclose(critical, [0.0, 1.0, 2.0])
# --8<-- [end:classify]

# --8<-- [start:plot]
import matplotlib.pyplot as plt


def d2f(x):
    return 12 * x**2 - 24 * x + 8


xs = np.linspace(-0.6, 2.6, 200)
fig, (top, bottom) = plt.subplots(2, 1, figsize=(5.0, 5.6), sharex=True)
top.plot(xs, f(xs), "k-", label="f(x) = x⁴ − 4x³ + 4x² + 1")
bottom.plot(xs, d2f(xs), "k-", label="f''(x) = 12x² − 24x + 8")
bottom.axhline(0, color="gray", lw=0.8)
for c, style, kind in [(0, "C0o", "minimum"), (1, "C3^", "maximum")]:
    top.plot(c, f(c), style, ms=9, label=kind)
    bottom.plot(c, d2f(c), style, ms=9)
top.plot(2, f(2), "C0o", ms=9)
bottom.plot(2, d2f(2), "C0o", ms=9)
top.set(ylabel="f(x)", ylim=(0.5, 4))
top.set_title("Critical points: f'(x) = 0; the sign of f'' decides")
bottom.set(xlabel="x", ylabel="f''(x)")
top.legend(loc="upper center")
bottom.legend(loc="upper center")
fig.tight_layout()
plt.show()
# --8<-- [end:plot]
