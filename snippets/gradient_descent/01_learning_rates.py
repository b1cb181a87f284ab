import matplotlib.pyplot as plt
import numpy as np


# --8<-- [start:setup]
def f(x):
    return x**2


def df_dx(x):
    return 2 * x


def descend(x0, lr, steps):
    xs = [x0]
    for _ in range(steps):
        xs.append(xs[-1] - lr * df_dx(xs[-1]))
    return np.array(xs)  # (steps + 1,)


def trend(size):  # the factor's size, or |x_T| / |x_0|
    if size < 1:
        return "converges"
    return "diverges" if size > 1 else "bounces"


def predicted(factor):
    return trend(abs(factor)) + (", flipping sign" if factor < 0 else "")


def observed(xs):
    flips = np.any(xs[1:] * xs[:-1] < 0)
    sign = ", flipping sign" if flips else ""
    return trend(abs(xs[-1]) / abs(xs[0])) + sign


# --8<-- [end:setup]


# --8<-- [start:table]
x0, steps = 1.0, 20
print(" lr   1 - 2*lr  |x_20|     behaviour")
for lr in [0.01, 0.1, 0.5, 0.9, 1.0, 1.1]:
    xs = descend(x0, lr, steps)
    factor = 1 - 2 * lr
    print(f"{lr:4}  {factor:7.2f}  {abs(xs[-1]):9.3g}  {observed(xs)}")
    assert observed(xs) == predicted(factor)
    assert np.allclose(xs, x0 * factor ** np.arange(steps + 1))
# --8<-- [end:table]

# --8<-- [start:curve]
fig, axes = plt.subplots(
    3, 1, figsize=(5.0, 8.4), sharey=True, layout="constrained"
)
grid = np.linspace(-2.2, 2.2, 200)
for ax, lr in zip(axes, [0.1, 0.9, 1.05], strict=True):
    xs = descend(x0, lr, 8)
    ax.plot(grid, f(grid), color="black", linewidth=1)
    ax.plot(xs, f(xs), "o--", color="C0", markersize=4, linewidth=1)
    ax.plot(xs[0], f(xs[0]), "s", color="C1", markersize=7, label="start")
    ax.set(xlabel="x", ylabel="f(x) = x²", title=f"lr = {lr}: {observed(xs)}")
axes[0].set(ylim=(-0.2, 4.8))
axes[0].legend(loc="upper center")
plt.show()
# --8<-- [end:curve]

# --8<-- [start:log]
fig, ax = plt.subplots(figsize=(4.0, 3.4))
formats = ["o-", "s--", "^-.", "v:", "D-", "x--"]
for lr, fmt in zip([0.05, 0.25, 0.8, 0.95, 1.0, 1.05], formats, strict=True):
    xs = descend(x0, lr, 30)
    label = f"lr = {lr}  (factor {1 - 2 * lr:+.2f})"
    ax.semilogy(abs(xs), fmt, markevery=5, markersize=5, label=label)
ax.set(xlabel="step t", ylabel="|x_t|  (log scale)")
ax.set_title("Distance to the minimum of x²:\nstraight lines on a log axis")
ax.legend(fontsize=9, loc="upper center", bbox_to_anchor=(0.5, -0.2))
plt.show()
# --8<-- [end:log]
