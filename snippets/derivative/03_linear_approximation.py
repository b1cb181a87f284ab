import matplotlib.pyplot as plt
import numpy as np


def f(x):
    return np.sqrt(x)


a = 4.0
df_dx = 1 / (2 * np.sqrt(a))  # f'(x) = 1 / (2 sqrt(x)), so f'(4) = 0.25


def tangent(x):
    return f(a) + df_dx * (x - a)


print("     h   f(a + h)    tangent      error  error / h²")
for h in [1.0, 0.1, 0.01, 0.001]:
    error = f(a + h) - tangent(a + h)
    row = f"{f(a + h):>10.6f} {tangent(a + h):>10.6f} {error:>10.2e}"
    print(f"{h:>6} {row} {error / h**2:>11.6f}")

fig, (top, bottom) = plt.subplots(
    2, 1, figsize=(4.0, 6.6), layout="constrained"
)
xs = np.linspace(0, 9, 200)
top.plot(xs, f(xs), color="black", linewidth=2, label="f(x) = √x")
top.plot(xs, tangent(xs), "--", label="f(4) + f′(4)(x − 4)")
top.plot([a], [f(a)], "o", color="tab:blue")
top.set(xlabel="x", ylabel="y", title="The tangent hugs the curve near 4")
top.legend()

hs = np.logspace(-3, 0.5, 15)
errors = np.abs(f(a + hs) - tangent(a + hs))
bottom.loglog(hs, hs**2 / 64, "--", label="h² / 64")
bottom.loglog(hs, errors, "o", color="black", label="|f(4 + h) − tangent|")
bottom.set(xlabel="h", ylabel="error")
bottom.set_title("Error of the linear approximation")
bottom.legend()
plt.show()
