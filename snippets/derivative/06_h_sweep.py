# --8<-- [start:sweep]
import math

import numpy as np

a = 1.0
exact = math.cos(a)  # f = sin, so f'(1) = cos(1)
ks = np.linspace(-16, 0, 81)  # exponents -16, -15.8, ..., 0
hs = 10.0**ks  # (81,) step sizes


def relative_errors(dtype):
    x, h = dtype(a), hs.astype(dtype)
    forward = (np.sin(x + h) - np.sin(x)) / h
    central = (np.sin(x + h) - np.sin(x - h)) / (2 * h)
    return (
        np.abs(forward.astype(np.float64) - exact) / abs(exact),
        np.abs(central.astype(np.float64) - exact) / abs(exact),
    )


def best_h(errors):
    smooth = np.convolve(np.log10(errors), np.ones(3) / 3, mode="same")
    return hs[1:-1][np.argmin(smooth[1:-1])]


errors = {dtype: relative_errors(dtype) for dtype in (np.float64, np.float32)}
print(f"{'h':>7} {'fwd f64':>9} {'ctr f64':>9} {'fwd f32':>9} {'ctr f32':>9}")
for k in [-1, -2, -4, -6, -8, -10, -12, -14, -16]:
    i = np.argmin(np.abs(ks - k))
    row = [errors[t][m][i] for t in (np.float64, np.float32) for m in (0, 1)]
    print(f"{hs[i]:>7.0e} " + " ".join(f"{e:>9.1e}" for e in row))
for dtype, (fwd, ctr) in errors.items():
    eps = np.finfo(dtype).eps
    print(f"{dtype.__name__}: eps = {eps:.2e}")
    print(
        f"  forward: best h {best_h(fwd):.1e}, sqrt(eps) = "
        f"{np.sqrt(eps):.1e}, smallest error {fwd.min():.1e}"
    )
    print(
        f"  central: best h {best_h(ctr):.1e}, cbrt(eps) = "
        f"{np.cbrt(eps):.1e}, smallest error {ctr.min():.1e}"
    )
# --8<-- [end:sweep]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharey=True)
for ax, dtype in zip(axes, (np.float64, np.float32), strict=True):
    fwd, ctr = errors[dtype]
    eps = np.finfo(dtype).eps
    ax.loglog(hs, fwd, "-o", color="black", markersize=3, label="forward")
    ax.loglog(hs, ctr, "--s", color="tab:blue", markersize=3, label="central")
    ax.axvline(np.sqrt(eps), color="black", linestyle=":", linewidth=1)
    ax.axvline(np.cbrt(eps), color="tab:blue", linestyle=":", linewidth=1)
    ax.text(np.sqrt(eps), 2e-14, " √ε", color="black")
    ax.text(np.cbrt(eps), 2e-14, " ∛ε", color="tab:blue")
    ax.set(
        xlabel="step size h",
        ylim=(1e-14, 3),
        title=f"{dtype.__name__}: sin′(1), ε = {eps:.1e}",
    )
axes[0].set_ylabel("relative error")
axes[0].text(1e-16, 1e-10, "round-off:\nabout ε / h")
axes[0].text(2e-4, 1e-12, "truncation:\nabout h (forward),\nh² (central)")
axes[1].legend(loc="lower left")
plt.show()
# --8<-- [end:plot]
