import matplotlib.pyplot as plt
import numpy as np


def loss(w):
    return 0.25 * w**4 - w**2 + 0.3 * w + 1.5


def dL_dw(w):
    return w**3 - 2 * w + 0.3


print("    w    slope  step against the slope")
for w in [-2.0, -0.5, 0.5, 2.0]:
    move = "right (+)" if dL_dw(w) < 0 else "left (-)"
    print(f"{w:>5} {dL_dw(w):>8.3f}  {move}")

lr = 0.1
w = 0.5
w_new = w - lr * dL_dw(w)
print(f"one step from w = {w}: w = {w_new:.4f}")
print(f"loss {loss(w):.4f} -> {loss(w_new):.4f}")

fig, ax = plt.subplots(figsize=(5.0, 3.6))
ws = np.linspace(-2.2, 2.2, 200)
ax.plot(ws, loss(ws), color="black", linewidth=2, label="loss(w)")
arrow = {"arrowstyle": "-|>", "color": "tab:blue", "linewidth": 1.5}
for w in np.linspace(-2, 2, 17):
    end = (w - 0.12 * dL_dw(w), loss(w))  # along minus the slope
    ax.annotate("", xy=end, xytext=(w, loss(w)), arrowprops=arrow)
ax.plot([], [], "->", color="tab:blue", label="−slope: the way downhill")
ax.set(xlabel="weight w", ylabel="loss", ylim=(-0.2, 3.2))
ax.set_title("Arrows point against the slope, towards a valley")
ax.legend(loc="upper center")
plt.show()
