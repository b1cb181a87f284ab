import matplotlib.pyplot as plt
import numpy as np

x = np.array([-1.0, 0.0, 1.0, 2.0])
y = np.array([-1.2, 1.1, 2.9, 5.2])


def loss(w, b):
    r = w * x[:, None, None] + b - y[:, None, None]
    return np.mean(r**2, axis=0)


def grad_loss(w, b):
    r = w * x[:, None, None] + b - y[:, None, None]
    return np.mean(2 * r * x[:, None, None], axis=0), np.mean(2 * r, axis=0)


W, B = np.meshgrid(np.linspace(-1, 5, 60), np.linspace(-2, 4, 60))
Wq, Bq = np.meshgrid(np.linspace(-0.5, 4.5, 9), np.linspace(-1.5, 3.5, 9))
Gw, Gb = grad_loss(Wq, Bq)  # (9, 9) each: 81 arrows
size = np.hypot(Gw, Gb) + 1e-12
best = np.polyfit(x, y, 1)  # (w, b) at the minimum

start = np.array([0.0, 3.0])
downhill = -np.array([g.item() for g in grad_loss(*start)])
to_minimum = best - start
cosine = downhill @ to_minimum / np.linalg.norm(downhill)
cosine /= np.linalg.norm(to_minimum)
print(
    f"at (w, b) = ({start[0]:g}, {start[1]:g}), -∇L points"
    f" {np.degrees(np.arccos(cosine)):.0f} degrees away from the minimum"
)

# The loss is quadratic in (w, b), so its Hessian is the same everywhere.
H = 2 * np.array([[np.mean(x**2), np.mean(x)], [np.mean(x), 1.0]])
kappa = np.linalg.cond(H)  # largest / smallest eigenvalue
turns = np.radians(np.arange(0, 180, 0.01))
offsets = np.stack([np.cos(turns), np.sin(turns)])  # (2, k): p - best
grads = H @ offsets  # ∇L at best + offset
cosines = (grads * offsets).sum(0) / np.linalg.norm(grads, axis=0)
worst = np.degrees(np.arccos(cosines.min()))
print(f"condition number {kappa:.2f}: the worst miss is {worst:.1f} degrees")
assert np.isclose(worst, np.degrees(np.arccos(2 * kappa**0.5 / (1 + kappa))))
newton = start - np.linalg.solve(H, -downhill)  # p - H⁻¹∇L
print(
    f"Newton step -H⁻¹∇L from (0, 3) lands on"
    f" ({newton[0]:.4g}, {newton[1]:.4g}), the minimum"
)
assert np.allclose(newton, best)

fig, ax = plt.subplots(figsize=(4.6, 4.6))
levels = [0.5, 2, 5, 10, 20, 35]
lines = ax.contour(W, B, loss(W, B), levels, colors="gray", linewidths=1)
ax.clabel(lines, fontsize=9, fmt="%g")
ax.quiver(Wq, Bq, Gw / size, Gb / size, angles="xy", scale=12, width=0.004)
ax.plot(*best, "C3*", ms=12, label="minimum")
d = downhill / np.linalg.norm(downhill)
ax.quiver(*start, *d, angles="xy", scale=6, color="tab:red", label="−∇L")
ax.plot(*zip(start, best, strict=True), "C3:", label="straight to the minimum")
ax.set(xlabel="w (slope)", ylabel="b (intercept)", aspect="equal")
ax.set_title("Gradient directions (arrows)\ncross the contours at 90°")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncols=2)
plt.show()
