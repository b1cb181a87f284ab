# --8<-- [start:sweep]
import math

import numpy as np

a = 1.0
exact = math.cos(a)  # f = sin, so f'(1) = cos(1)
ks = np.linspace(-16, 0, 81)  # exponents -16, -15.8, ..., 0
hs = 10.0**ks  # (81,) step sizes


def differences(dtype):  # both estimates, computed in dtype
    x, h = dtype(a), hs.astype(dtype)
    forward = (np.sin(x + h) - np.sin(x)) / h
    central = (np.sin(x + h) - np.sin(x - h)) / (2 * h)
    return forward.astype(np.float64), central.astype(np.float64)


def best(errors):  # index of the lowest error, averaged over 3 neighbours
    smooth = np.convolve(np.log10(errors), np.ones(3) / 3, mode="same")
    i = 1 + np.argmin(smooth[1:-1])
    return i, 10 ** smooth[i]  # the index and the typical error there


def best_h(errors):
    return hs[best(errors)[0]]


def zero_up_to(estimate):  # the largest h whose estimate is exactly 0
    zero = hs[estimate == 0]
    return f"h <= {zero.max():.1e}" if zero.size else "no h"


estimates = {t: differences(t) for t in (np.float64, np.float32)}
errors = {  # relative errors, (forward, central) per dtype
    t: tuple(np.abs(d - exact) / abs(exact) for d in pair)
    for t, pair in estimates.items()
}
print(f"{'h':>7} {'fwd f64':>9} {'ctr f64':>9} {'fwd f32':>9} {'ctr f32':>9}")
for k in [-1, -2, -4, -6, -8, -10, -12, -14, -16]:
    i = np.argmin(np.abs(ks - k))
    row = [errors[t][m][i] for t in (np.float64, np.float32) for m in (0, 1)]
    print(f"{hs[i]:>7.0e} " + " ".join(f"{e:>9.1e}" for e in row))
for dtype, (fwd, ctr) in errors.items():
    eps = np.finfo(dtype).eps
    print(f"{dtype.__name__}: eps = {eps:.2e}")
    for name, e, rule, root in [
        ("forward", fwd, "sqrt", np.sqrt(eps)),
        ("central", ctr, "cbrt", np.cbrt(eps)),
    ]:
        i, typical = best(e)
        print(
            f"  {name}: best h {hs[i]:.1e} ({rule}(eps) {root:.1e}), "
            f"error there {typical:.1e}, {-np.log10(typical):.1f} digits"
        )
    fwd0, ctr0 = (zero_up_to(d) for d in estimates[dtype])
    print(f"  estimate exactly 0 for {fwd0} (forward), {ctr0} (central)")
# --8<-- [end:sweep]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

fig, axes = plt.subplots(
    2, 1, figsize=(4.0, 7.0), sharey=True, layout="constrained"
)
for ax, dtype in zip(axes, (np.float64, np.float32), strict=True):
    fwd, ctr = errors[dtype]
    eps = np.finfo(dtype).eps
    ax.loglog(hs, fwd, "-o", color="black", markersize=3, label="forward")
    ax.loglog(hs, ctr, "--s", color="tab:blue", markersize=3, label="central")
    ax.axvline(np.sqrt(eps), color="black", linestyle=":", linewidth=1)
    ax.axvline(np.cbrt(eps), color="tab:blue", linestyle=":", linewidth=1)
    ax.text(np.sqrt(eps), 2e-14, " √ε", color="black")
    ax.text(np.cbrt(eps), 1, " ∛ε", color="tab:blue", va="top")
    ax.set(
        xlabel="step size h",
        ylim=(1e-14, 3),
        title=f"{dtype.__name__}: sin′(1), ε = {eps:.1e}",
    )
for ax in axes:
    ax.set_ylabel("relative error")
axes[0].text(1e-16, 1e-10, "round-off:\nabout ε / h")
axes[0].text(1, 1e-13, "truncation:\nh (forward)\nh² (central)", ha="right")
axes[1].legend(loc="lower left")
plt.show()
# --8<-- [end:plot]
