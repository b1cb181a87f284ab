import matplotlib.pyplot as plt
import numpy as np


def f(x):
    return np.sin(x**2)


def df_dx(x):
    return np.cos(x**2) * 2 * x


xs = np.linspace(0, 3, 300)
marks = np.linspace(0.1, 2.9, 15)
h = 1e-5
central = (f(marks + h) - f(marks - h)) / (2 * h)

fig, (top, bottom) = plt.subplots(2, 1, figsize=(4.8, 5.2), sharex=True)
top.plot(xs, f(xs), color="black", label="f(x) = sin(x²)")
top.set(ylabel="f(x)", title="sin(x²) and its derivative")
top.legend(loc="lower left")
bottom.plot(xs, df_dx(xs), color="C0", label="f'(x) = cos(x²) · 2x")
bottom.plot(xs, 2 * xs, "k--", linewidth=1, label="± 2x (inner derivative)")
bottom.plot(xs, -2 * xs, "k--", linewidth=1)
bottom.plot(
    marks, central, "o", color="C1", markersize=5, label="central difference"
)
bottom.set(xlabel="x", ylabel="f'(x)")
bottom.legend(loc="upper left", fontsize=10)
plt.show()
