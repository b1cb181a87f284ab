# --8<-- [start:table]
import numpy as np


def steps_to(kappa, lr, beta, tol=1e-8):
    """Heavy-ball steps on ½(x² + κy²) from (1, 1) until the loss has
    shrunk by tol (beta = 0 is plain gradient descent)."""
    curvatures = np.array([1.0, kappa])  # eigenvalues of the Hessian
    theta, v = np.array([1.0, 1.0]), np.zeros(2)  # (2,), (2,)
    loss0, n = 0.5 * np.sum(curvatures * theta**2), 0
    while 0.5 * np.sum(curvatures * theta**2) > tol * loss0:
        v = beta * v + curvatures * theta  # PyTorch's momentum form
        theta = theta - lr * v
        n += 1
    return n


print("kappa  GD steps  momentum steps  GD rate  momentum rate")
gd, heavy = {}, {}
for kappa in [10, 100, 1000, 10000]:
    low, high, root = 1.0, float(kappa), np.sqrt(kappa)
    gd[kappa] = steps_to(kappa, 2 / (low + high), 0.0)
    lr = 4 / (np.sqrt(high) + np.sqrt(low)) ** 2
    beta = ((root - 1) / (root + 1)) ** 2
    heavy[kappa] = steps_to(kappa, lr, beta)
    print(
        f"{kappa:5}  {gd[kappa]:8}  {heavy[kappa]:14}  "
        f"{(kappa - 1) / (kappa + 1):7.4f}  {(root - 1) / (root + 1):13.4f}"
    )
print("steps when kappa grows tenfold:")
for a, b in [(10, 100), (100, 1000), (1000, 10000)]:
    print(
        f"  {a:4} -> {b:5}: GD x{gd[b] / gd[a]:.2f}, "
        f"momentum x{heavy[b] / heavy[a]:.2f}  (sqrt(10) = {10**0.5:.2f})"
    )
assert all(9.9 < gd[10 * k] / gd[k] < 10.1 for k in [10, 100, 1000])
assert all(3.1 < heavy[10 * k] / heavy[k] < 3.6 for k in [10, 100, 1000])
# --8<-- [end:table]

# --8<-- [start:double]
print("kappa  steps  first t with (1 + c t)^2 mu^t <= 1e-8")
for kappa, steps in heavy.items():
    root = np.sqrt(kappa)
    mu, c = ((root - 1) / (root + 1)) ** 2, 2 * root / (root + 1)
    t = 0
    while (1 + c * t) ** 2 * mu**t > 1e-8:
        t += 1
    print(f"{kappa:5}  {steps:5}  {t:5}")
    assert t == steps
# --8<-- [end:double]
