import matplotlib.pyplot as plt
import numpy as np


def f(x, y):
    return x**2 * y + 3 * x * y**2


x0, y0 = 2.0, 1.0
df_dx, df_dy = 2 * x0 * y0 + 3 * y0**2, x0**2 + 6 * x0 * y0  # 7, 16

xs = np.linspace(0.0, 4.0, 100)
ys = np.linspace(-0.5, 2.5, 100)
fig, (top, bottom) = plt.subplots(2, 1, figsize=(5.0, 6.4))
top.plot(xs, f(xs, y0), "k-", label="f(x, 1)")
top.plot(xs, f(x0, y0) + df_dx * (xs - x0), "C0--", label="slope 7")
top.plot(x0, f(x0, y0), "C3o", label="(2, 1)")
top.set(xlabel="x (y held at 1)", title="Slice y = 1: slope is ∂f/∂x")
bottom.plot(ys, f(x0, ys), "k-", label="f(2, y)")
bottom.plot(ys, f(x0, y0) + df_dy * (ys - y0), "C0--", label="slope 16")
bottom.plot(y0, f(x0, y0), "C3o", label="(2, 1)")
bottom.set(xlabel="y (x held at 2)", title="Slice x = 2: slope is ∂f/∂y")
for ax in (top, bottom):
    ax.set(ylabel="f")
    ax.legend()
fig.tight_layout()
plt.show()
