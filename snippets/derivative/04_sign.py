import matplotlib.pyplot as plt
import numpy as np


def f(x):
    return x**3 - 3 * x


def g(x):
    return x**3


def slope(func, x, h=1e-6):
    return (func(x + h) - func(x - h)) / (2 * h)


print(f"{'x':>5} {'f′(x)':>8}  what f does")
for x in [-1.5, -1.0, 0.0, 1.0, 1.5]:
    df_dx = slope(f, x)
    if abs(df_dx) < 1e-6:
        what = "flat"
    else:
        what = "rising" if df_dx > 0 else "falling"
    print(f"{x:>5} {df_dx:>8.4f}  {what}")
print("g(x) = x³:", [round(slope(g, x), 4) for x in [-0.5, 0.0, 0.5]])

colour = {"-": "tab:blue", "--": "tab:orange", ":": "tab:green"}
fig, (top, bottom) = plt.subplots(
    2, 1, figsize=(5.0, 6.6), sharey=True, layout="constrained"
)
xs = np.linspace(-2.2, 2.2, 200)
for ax, func, points in [
    (top, f, [-1.5, -1.0, 0.0, 1.0, 1.5]),
    (bottom, g, [-1.0, 0.0, 1.0]),
]:
    ax.plot(xs, func(xs), color="black", linewidth=2)
    for x in points:
        m = slope(func, x)
        style = ":" if abs(m) < 1e-6 else ("-" if m > 0 else "--")
        seg = np.linspace(x - 0.45, x + 0.45, 2)
        tangent = func(x) + m * (seg - x)
        ax.plot(seg, tangent, style, color=colour[style], linewidth=2.5)
        ax.plot([x], [func(x)], "o", color="black", markersize=4)
    ax.set(xlabel="x", ylim=(-4, 4))
bottom.set(ylabel="y")
top.set(ylabel="y", title="f(x) = x³ − 3x: peak and valley")
top.annotate("peak, f′ = 0", (-1, 2), (-1.9, 3.2))
top.annotate("valley, f′ = 0", (1, -2), (0.3, -3.4))
bottom.set(title="g(x) = x³: flat at 0, no peak or valley")
bottom.annotate("flat, g′ = 0", (0, 0), (0.3, -1.5))
for style, name in [("-", "rising"), ("--", "falling"), (":", "flat")]:
    label = f"tangent, {name}"
    bottom.plot([], [], style, color=colour[style], linewidth=2.5, label=label)
bottom.legend(loc="upper left")
plt.show()
