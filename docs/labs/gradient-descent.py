# %% [markdown]
# # Lab 5: Tuning gradient descent
#
# Chapter 5 showed that one number per direction, the factor
# $1 - \alpha a$ for a curvature $a$, decides whether gradient descent
# converges. In this lab you measure that limit yourself, train a logistic
# regression with gradients you derive by hand, watch what a badly scaled
# feature does to training, and build momentum from scratch.
#
# Run the cells in order. Most take well under a second on a CPU; the
# first, which imports PyTorch, and the first call of `torch.func` (in
# section 3) can take several seconds.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch

rng = np.random.default_rng(0)
_ = torch.manual_seed(0)

# %% [markdown]
# ## 1. The stability limit of a bowl
#
# On $f(x) = \frac{a}{2}x^2$ each step multiplies $x$ by $1 - \alpha a$,
# so descent converges exactly when $0 < \alpha < 2/a$. Find the limit
# without the formula: bisect on the learning rate, calling a run
# “converged” when $|x|$ is smaller after 200 steps than at the start.


# %%
def run_bowl(a, lr, steps=200, x0=1.0):
    x = x0
    for _ in range(steps):
        x = x - lr * a * x  # f'(x) = a x
    return x


def converges(a, lr):
    return abs(run_bowl(a, lr)) < 1.0


def find_limit(a, low=0.0, high=10.0, rounds=40):
    for _ in range(rounds):
        middle = (low + high) / 2
        if converges(a, middle):
            low = middle
        else:
            high = middle
    return low


for a in [0.5, 2.0, 10.0]:
    limit = find_limit(a)
    print(f"a = {a:4}: measured limit {limit:.6f}, 2/a = {2 / a:.6f}")
    assert abs(limit - 2 / a) < 1e-6

# %% [markdown]
# The measured limit agrees with $2/a$ to every printed digit. Now look at
# how sharp that cliff is: the distance $|x_{50}|$ after 50 steps on the
# bowl with $a = 2$, as the learning rate crosses 1.

# %% alt="|x_50|, the distance from the minimum after 50 steps on x² starting at 1, against the learning rate, on a log scale. It falls off the bottom of the plot at learning rate 0.5, where one step lands exactly on the minimum, rises symmetrically on either side, and passes its starting value of 1 beyond learning rate 1 (dashed line), where the steps diverge."
lrs = np.linspace(0.02, 1.1, 200)
fig, ax = plt.subplots()
ax.semilogy(lrs, [abs(run_bowl(2.0, lr, steps=50)) + 1e-300 for lr in lrs])
ax.axvline(1.0, color="black", linestyle="--", linewidth=0.8)
ax.set(
    xlabel="learning rate",
    ylabel="|x_50| (log scale)",
    ylim=(1e-40, 1e5),
    title="After 50 steps on x²: fast, slow, gone",
)
plt.show()

# %% [markdown]
# The dip at 0.5 is the one-step jump to the minimum. The V is symmetric
# around it, because learning rates $0.5 - d$ and $0.5 + d$ give factors
# of the same size and opposite signs. Past 1 the distance grows
# geometrically: in real training, that is where the loss turns into
# `inf` and then `nan` within a few steps.
#
# ## 2. Logistic regression, gradients by hand
#
# Two clouds of points, labels 0 and 1. The model is
# $p = \sigma(\mathbf{w}^\top\mathbf{x} + b)$ and the loss is the mean
# binary cross-entropy. With $z = \mathbf{w}^\top\mathbf{x} + b$ the loss
# of one example is $\log(1 + e^{z}) - yz$, whose derivative in $z$ is
# $\sigma(z) - y$. The chain rule gives
#
# $$\nabla_{\mathbf{w}} L = \frac1n X^\top(\mathbf{p} - \mathbf{y}),
# \qquad \frac{\partial L}{\partial b} = \frac1n\sum_i (p_i - y_i).$$

# %%
n = 200
y = (rng.random(n) < 0.5).astype(float)  # (n,) labels
centres = np.where(y[:, None] == 1, [1.5, 1.0], [-1.0, -1.0])  # (n, 2)
X = rng.normal(size=(n, 2)) + centres  # (n, 2)


def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -z))  # no overflow for large |z|


def loss_and_grad(w, b, X, y):
    z = X @ w + b  # (n,)
    loss = np.mean(np.logaddexp(0.0, z) - y * z)
    r = sigmoid(z) - y  # (n,)
    return loss, X.T @ r / len(y), np.mean(r)


# check the hand-derived gradient against autograd, in float64
w0, b0 = np.array([0.3, -0.7]), 0.2
loss, dL_dw, dL_db = loss_and_grad(w0, b0, X, y)
wt = torch.tensor(w0, requires_grad=True)
bt = torch.tensor(b0, dtype=torch.float64, requires_grad=True)
z = torch.tensor(X) @ wt + bt
loss_t = torch.nn.functional.binary_cross_entropy_with_logits(
    z, torch.tensor(y)
)
loss_t.backward()
print(f"loss: by hand {loss:.15f}, PyTorch {loss_t.item():.15f}")
print(f"dL_dw by hand {dL_dw}, autograd {wt.grad.numpy()}")
assert np.allclose(dL_dw, wt.grad.numpy(), rtol=1e-12, atol=0)
assert abs(dL_db - bt.grad.item()) < 1e-14

# %% [markdown]
# Now sweep the learning rate. For each one, train for 200 steps and keep
# the loss curve.


# %% alt="Cross-entropy against step for logistic regression trained with learning rates 0.1 (solid), 1 (dashed), 10 (dash-dot) and 100 (dotted), on a log scale; the table printed above gives each run's final loss, highest loss and the steps where the loss rose."
def train_logistic(X, y, lr, steps=200):
    w, b = np.zeros(X.shape[1]), 0.0
    losses = []
    for _ in range(steps):
        loss, dL_dw, dL_db = loss_and_grad(w, b, X, y)
        losses.append(loss)
        w, b = w - lr * dL_dw, b - lr * dL_db
    return np.array(losses), w, b


fig, ax = plt.subplots()
print("   lr  final loss  highest loss  steps where the loss rose")
for lr, style in zip(
    [0.1, 1.0, 10.0, 100.0], ["-", "--", "-.", ":"], strict=True
):
    losses, _, _ = train_logistic(X, y, lr)
    rises = int(np.sum(np.diff(losses) > 0))
    print(f"{lr:5}  {losses[-1]:10.4f}  {losses.max():12.4f}  {rises:6}")
    ax.plot(losses, linestyle=style, label=f"lr = {lr}")
ax.set(
    xlabel="step",
    ylabel="cross-entropy",
    yscale="log",
    title="Logistic regression: four learning rates",
)
ax.legend()
plt.show()

# %% [markdown]
# Small learning rates descend smoothly. At `lr = 10` the loss still ends
# low but rises at some steps; at `lr = 100` it jumps far above where it
# started before settling. Unlike $x^2$, the logistic loss flattens far
# from the origin (its curvature shrinks as $|z|$ grows), so a too-large
# step does not explode to infinity: it throws the weights far away, where
# the slope is gentle, and they find their way back. Do not count on that
# in a network: other losses and layers are not so forgiving.
#
# ## 3. A badly scaled feature
#
# Multiply the second feature by 20, as if it were measured in other
# units. The model can represent exactly the same classifiers (its weight
# just shrinks by 20), but the loss surface changes. Its Hessian at the
# start, computed by `torch.func.hessian`, tells you how:


# %%
def bce(params, X, y):
    z = X @ params[:-1] + params[-1]
    return torch.nn.functional.binary_cross_entropy_with_logits(z, y)


def condition_number(X):
    H = torch.func.hessian(bce)(
        torch.zeros(X.shape[1] + 1, dtype=torch.float64),
        torch.tensor(X),
        torch.tensor(y),
    )  # (3, 3)
    eigenvalues = torch.linalg.eigvalsh(H)
    return (eigenvalues.max() / eigenvalues.min()).item()


X_raw = X * np.array([1.0, 20.0])
X_std = (X_raw - X_raw.mean(axis=0)) / X_raw.std(axis=0)
for name, data in [
    ("original", X),
    ("scaled", X_raw),
    ("standardised", X_std),
]:
    print(f"{name:12} condition number {condition_number(data):8.1f}")

# %% [markdown]
# A condition number in the hundreds means a narrow valley, and chapter 5
# predicts slow training. Check it: for each version of the data, try a
# few learning rates and report the lowest loss reached in 100 steps.

# %%
best = {}
for name, data in [("scaled", X_raw), ("standardised", X_std)]:
    results = {
        lr: train_logistic(data, y, lr, steps=100)[0][-1]
        for lr in [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0]
    }
    lr = min(results, key=results.get)
    best[name] = results[lr]
    print(f"{name:12} best lr {lr:5}: loss after 100 steps {results[lr]:.4f}")

# %% [markdown]
# Standardising (subtract the mean, divide by the standard deviation of
# each feature) is one line of preprocessing and it rounds the valley.
#
# ## 4. Momentum from scratch
#
# PyTorch’s momentum keeps a velocity $\mathbf{v}$:
# $\mathbf{v} \leftarrow \mu\mathbf{v} + \nabla L$, then
# $\boldsymbol\theta \leftarrow \boldsymbol\theta - \alpha\mathbf{v}$.
# Here it is on the narrow valley $\frac12(x^2 + \kappa y^2)$ with
# $\kappa = 50$, next to plain gradient descent at its best learning rate.

# %%
kappa = 50.0
curvatures = np.array([1.0, kappa])


def valley_loss(theta):
    return 0.5 * np.sum(curvatures * theta**2)


def momentum_descent(theta0, lr, mu, steps):
    theta, v = np.array(theta0, dtype=float), np.zeros(2)
    losses = [valley_loss(theta)]
    for _ in range(steps):
        v = mu * v + curvatures * theta  # gradient of the valley loss
        theta = theta - lr * v
        losses.append(valley_loss(theta))
    return theta, np.array(losses)


def steps_below(losses, tol=1e-8):
    hits = np.flatnonzero(losses < tol * losses[0])
    return int(hits[0]) if hits.size else None


start = [1.0, 1.0]
_, plain = momentum_descent(start, 2 / (1 + kappa), 0.0, 2000)
_, heavy = momentum_descent(start, 0.02, 0.9, 2000)
print(f"plain GD at its best lr: {steps_below(plain)} steps")
print(f"momentum 0.9, lr 0.02:   {steps_below(heavy)} steps")

# %% [markdown]
# And the check that this is what `torch.optim.SGD(momentum=...)` does:

# %%
theta_hand, _ = momentum_descent(start, 0.02, 0.9, 60)
p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
optimizer = torch.optim.SGD([p], lr=0.02, momentum=0.9)
for _ in range(60):
    optimizer.zero_grad()
    loss = 0.5 * torch.sum(torch.tensor(curvatures) * p**2)
    loss.backward()
    optimizer.step()
print(f"by hand {theta_hand}, torch {p.detach().numpy()}")
assert np.allclose(theta_hand, p.detach().numpy(), rtol=0, atol=1e-12)

# %% alt="Loss against step, on a log scale, in a narrow valley with condition number 50: plain gradient descent at its best learning rate (solid) and gradient descent with momentum 0.9 (dashed)."
fig, ax = plt.subplots()
ax.semilogy(plain, label="plain GD, best lr")
ax.semilogy(heavy, "--", label="momentum 0.9")
ax.set(
    xlabel="step",
    ylabel="loss (log scale)",
    xlim=(0, 600),
    ylim=(1e-12, 1e2),
    title="Narrow valley, κ = 50",
)
ax.legend()
plt.show()

# %% [markdown]
# ## Your turn
#
# Each task below comes with a check. The cells are filled in with one
# working answer; change them, break them, and see the checks catch it.
#
# **Task 1.** For $f(x) = 5x^2$ (so $a = 10$), set `lr_max` to the
# stability limit: descent converges for every smaller learning rate and
# fails for every larger one. The check runs descent just below and just
# above it.

# %%
lr_max = 2 / 10  # your answer

assert converges(10.0, 0.99 * lr_max)
assert not converges(10.0, 1.01 * lr_max)
print("Task 1: correct")

# %% [markdown]
# **Task 2.** Momentum has its own best settings. For a quadratic with
# curvatures between $\lambda_{\min}$ and $\lambda_{\max}$, the classic
# choice (Polyak’s heavy ball) is
# $\alpha = 4/(\sqrt{\lambda_{\max}} + \sqrt{\lambda_{\min}})^2$ and
# $\mu = \left(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\right)^2$.
# Set them for the valley above and check that momentum now needs fewer
# than a quarter of the steps of plain gradient descent.

# %%
lr_heavy = 4 / (np.sqrt(kappa) + 1) ** 2  # your answer
mu_heavy = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2  # your answer

_, tuned = momentum_descent(start, lr_heavy, mu_heavy, 2000)
print(
    f"tuned momentum: {steps_below(tuned)} steps, "
    f"plain GD: {steps_below(plain)} steps"
)
assert steps_below(tuned) is not None
assert 4 * steps_below(tuned) < steps_below(plain)

# %% [markdown]
# **Task 3.** Write `standardise(X)` so that every column has mean 0 and
# standard deviation 1, and check that it makes the badly scaled logistic
# regression train better in 100 steps than the best run on the raw data.


# %%
def standardise(X):
    return (X - X.mean(axis=0)) / X.std(axis=0)  # your answer


Z = standardise(X_raw)
assert np.allclose(Z.mean(axis=0), 0) and np.allclose(Z.std(axis=0), 1)
loss_z = train_logistic(Z, y, 1.0, steps=100)[0][-1]
print(f"standardised, lr 1: {loss_z:.4f}; best raw: {best['scaled']:.4f}")
assert loss_z < best["scaled"]

# %% [markdown]
# **Task 4.** Forget `zero_grad` on purpose: train the logistic regression
# with `torch.optim.SGD(lr=0.1)` for 50 steps without resetting the
# gradients, and check that its final loss is worse than the correct loop.


# %%
def train_torch(zero_grad, steps=50, lr=0.1):
    Xt, yt = torch.tensor(X), torch.tensor(y)
    params = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([params], lr=lr)
    for _ in range(steps):
        if zero_grad:
            optimizer.zero_grad()
        loss = bce(params, Xt, yt)
        loss.backward()
        optimizer.step()
    return bce(params, Xt, yt).item()


right, wrong = train_torch(True), train_torch(False)
print(f"with zero_grad {right:.4f}, without {wrong:.4f}")
assert wrong > right
