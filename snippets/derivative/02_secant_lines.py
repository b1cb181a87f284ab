import matplotlib.pyplot as plt
import numpy as np


def f(x):
    return x**2 / 4


a = 1.0
xs = np.linspace(-0.5, 3.5, 200)
fig, ax = plt.subplots()
ax.plot(xs, f(xs), color="black", label="f(x) = x²/4")
for h in [2.0, 1.0, 0.5]:
    slope = (f(a + h) - f(a)) / h
    ax.plot(xs, f(a) + slope * (xs - a), "--", label=f"secant, h = {h}")
ax.plot(xs, f(a) + 0.5 * (xs - a), linewidth=2, label="tangent, slope 0.5")
ax.set(xlabel="x", ylabel="f(x)", ylim=(-1, 3.5),
       title="Secant lines through x = 1 approach the tangent")
ax.legend()
plt.show()
