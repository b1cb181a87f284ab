import matplotlib.pyplot as plt
import numpy as np

# --8<-- [start:setup]
kappa = 10.0
curvatures = np.array([1.0, kappa])  # diagonal of the Hessian


def loss(theta):
    return 0.5 * np.sum(curvatures * theta**2)


def grad(theta):
    return curvatures * theta  # (2,)


def descend(theta0, lr, steps):
    path = [np.asarray(theta0, dtype=float)]
    for _ in range(steps):
        path.append(path[-1] - lr * grad(path[-1]))
    return np.array(path)  # (steps + 1, 2)


def steps_to(theta0, lr, tol=1e-8, max_steps=2000):
    theta = np.asarray(theta0, dtype=float)
    for step in range(max_steps):
        if loss(theta) < tol:
            return step
        theta = theta - lr * grad(theta)
    return None


start = np.array([-9.0, 1.5])
# --8<-- [end:setup]

# --8<-- [start:table]
best = 2 / (curvatures.min() + curvatures.max())
print(f"  lr     1-lr·1  1-lr·{kappa:g}  steps to loss < 1e-8")
for lr in [0.05, 0.1, best, 0.19, 0.2, 0.21]:
    fx, fy = 1 - lr * curvatures
    n = steps_to(start, lr)
    print(f"{lr:6.4f}  {fx:6.3f}  {fy:7.3f}  {'never' if n is None else n}")

lrs = np.linspace(0.001, 0.25, 2000)
worst = np.max(np.abs(1 - np.outer(lrs, curvatures)), axis=1)  # (2000,)
grid_best = lrs[worst.argmin()]
print(f"best lr on a grid: {grid_best:.4f}, 2/(1 + kappa) = {best:.4f}")
assert abs(grid_best - best) < 1e-3
# --8<-- [end:table]

# --8<-- [start:paths]
xs, ys = np.meshgrid(np.linspace(-10, 2, 120), np.linspace(-3, 3, 80))
zs = 0.5 * (xs**2 + kappa * ys**2)  # the loss on a grid, (80, 120)
fig, ax = plt.subplots(figsize=(4.6, 3.2))
levels = [0.5, 2, 5, 12, 25, 45, 70]
ax.contour(xs, ys, zs, levels=levels, colors="gray", linewidths=0.8)
for lr, fmt in [(0.19, "o-"), (0.05, "s--")]:
    path = descend(start, lr, 25)
    ax.plot(*path.T, fmt, markersize=3.5, label=f"lr = {lr}, 25 steps")
ax.plot(0, 0, "k*", markersize=10, label="minimum")
ax.set(xlabel="x", ylabel="y", aspect="equal")
ax.set_title(f"Gradient descent on ½(x² + {kappa:g}y²)")
ax.legend(fontsize=9, ncols=2, loc="upper center", bbox_to_anchor=(0.5, -0.2))
plt.show()
# --8<-- [end:paths]


# --8<-- [start:angle]
downhill, to_minimum = -grad(start), -start
norm = np.linalg.norm
cos = downhill @ to_minimum / (norm(downhill) * norm(to_minimum))
angle = np.degrees(np.arccos(cos))
print(f"angle between -grad and the way to the minimum: {angle:.1f} degrees")
# --8<-- [end:angle]
