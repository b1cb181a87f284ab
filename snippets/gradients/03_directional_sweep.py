# ruff: noqa: E402
# --8<-- [start:sweep]
import numpy as np

x = np.array([-1.0, 0.0, 1.0, 2.0])
y = np.array([-1.2, 1.1, 2.9, 5.2])


def loss(p):
    w, b = p
    return np.mean((w * x + b - y) ** 2)


def grad_loss(p):
    w, b = p
    r = w * x + b - y
    return np.array([np.mean(2 * r * x), np.mean(2 * r)])  # (2,)


p = np.array([0.5, -0.5])  # (w, b)
g = grad_loss(p)
h = 1e-6
angles = np.arange(360)  # degrees
rates = []
for angle in angles:
    u = np.array([np.cos(np.radians(angle)), np.sin(np.radians(angle))])
    rates.append((loss(p + h * u) - loss(p - h * u)) / (2 * h))
rates = np.array(rates)

best = angles[np.argmax(rates)]
grad_angle = np.degrees(np.arctan2(g[1], g[0])) % 360
print(f"gradient         = {np.round(g, 4)}")
print(f"steepest angle   = {best} degrees (sweep, 1-degree steps)")
print(f"gradient's angle = {grad_angle:.2f} degrees")
print(f"largest rate     = {rates.max():.4f}")
print(f"|gradient|       = {np.linalg.norm(g):.4f}")
print(f"lowest rate      = {rates.min():.4f} at {angles[np.argmin(rates)]}")
assert abs(best - grad_angle) <= 0.5
assert abs(rates.max() - np.linalg.norm(g)) < 1e-3
unit_rates = np.cos(np.radians(angles - grad_angle)) * np.linalg.norm(g)
assert np.allclose(rates, unit_rates, atol=1e-6)  # D_u f = grad . u
# --8<-- [end:sweep]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

fig, ax = plt.subplots()
low = angles[np.argmin(rates)]
ax.plot(angles, rates, "k-", label="measured rate along u")
ax.axvline(grad_angle, ls="--", label="angle of the gradient")
ax.plot(best, rates.max(), "C3^", ms=9, label="steepest ascent")
ax.plot(low, rates.min(), "C2v", ms=9, label="steepest descent")
ax.axhline(0, color="gray", lw=0.8)
ax.set(xlabel="direction angle θ of u (degrees)", xticks=range(0, 361, 45))
ax.set(ylabel="directional derivative", ylim=(-9, 14))
ax.set_title("Rate of change of the loss in each direction")
ax.legend(loc="upper left", ncols=2, fontsize=9)
plt.show()
# --8<-- [end:plot]
