import numpy as np

start = np.array([1.0, 1.0])
tol = 1e-8
print("kappa  best lr  rate   steps  predicted  steps/kappa")
steps = {}
for kappa in [1, 2, 5, 10, 20, 50, 100, 200]:
    curvatures = np.array([1.0, kappa])
    lr = 2 / (1 + kappa)
    theta, n = start.copy(), 0
    loss0 = 0.5 * np.sum(curvatures * theta**2)
    while 0.5 * np.sum(curvatures * theta**2) > tol * loss0:
        theta = theta - lr * curvatures * theta
        n += 1
    rate = (kappa - 1) / (kappa + 1)
    guess = 1 if rate == 0 else int(np.ceil(np.log(tol) / (2 * np.log(rate))))
    steps[kappa] = n
    print(
        f"{kappa:5}  {lr:7.4f}  {rate:5.3f}  {n:5}  {guess:9}  "
        f"{n / kappa:11.2f}"
    )
    assert n == guess
print(f"ln(1 / tol) / 4 = {np.log(1 / tol) / 4:.2f}")
