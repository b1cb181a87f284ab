import matplotlib.pyplot as plt
import numpy as np

x = np.array([-1.0, 0.0, 1.0, 2.0])
y = np.array([-1.2, 1.1, 2.9, 5.2])


def loss(w, b):
    r = w * x[:, None, None] + b - y[:, None, None]  # (4, rows, cols)
    return np.mean(r**2, axis=0)


W, B = np.meshgrid(np.linspace(-1, 5, 16), np.linspace(-2, 4, 16))
Wf, Bf = np.meshgrid(np.linspace(-1, 5, 60), np.linspace(-2, 4, 60))
L = loss(W, B)  # (16, 16): a coarse grid keeps the figure light
best_w, best_b = np.polyfit(x, y, 1)

fig = plt.figure(figsize=(4.6, 8.4))
ax3d = fig.add_subplot(2, 1, 1, projection="3d")
ax3d.plot_surface(W, B, L, cmap="viridis", edgecolor="none", alpha=0.9)
ax3d.contour(W, B, L, levels=8, offset=0, colors="k", linewidths=0.6)
ax3d.set(xlabel="w (slope)", ylabel="b (intercept)", zlabel="loss")
ax3d.set_title("The loss as a surface")
ax = fig.add_subplot(2, 1, 2)
levels = [0.5, 2, 5, 10, 20, 35]
lines = ax.contour(Wf, Bf, loss(Wf, Bf), levels, colors="k", linewidths=1)
ax.clabel(lines, fontsize=9, fmt="%g")
minimum = f"minimum ({best_w:.2f}, {best_b:.2f})"
ax.plot(best_w, best_b, "C3*", ms=12, label=minimum)
ax.set(xlabel="w (slope)", ylabel="b (intercept)", aspect="equal")
ax.set_title("The same loss as contours")
ax.legend(loc="upper right")
fig.tight_layout()
plt.show()
