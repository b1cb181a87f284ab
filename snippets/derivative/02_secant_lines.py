import matplotlib.pyplot as plt
import numpy as np


def f(x):
    return x**2 / 4


a = 1.0
xs = np.linspace(-0.5, 3.5, 100)
fig, ax = plt.subplots()
ax.plot(xs, f(xs), color="black", linewidth=2, label="f(x) = x²/4")
for h, style in [(2.0, "--"), (1.0, "-."), (0.5, ":")]:
    slope = (f(a + h) - f(a)) / h
    print(f"h = {h}: secant slope = {slope}")
    ax.plot(xs, f(a) + slope * (xs - a), style, label=f"secant, h = {h}")
    ax.plot([a + h], [f(a + h)], "o", color="black", markersize=4)
tangent = f(a) + 0.5 * (xs - a)
ax.plot(xs, tangent, color="tab:red", label="tangent, slope 0.5")
ax.plot([a], [f(a)], "o", color="tab:red", markersize=7)
ax.set(xlabel="x", ylabel="f(x)", ylim=(-0.8, 3.2))
ax.set_title("Secant lines through (1, f(1)) approach the tangent")
ax.legend()
plt.show()
