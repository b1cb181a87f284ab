# --8<-- [start:hard]
import textwrap

import torch

scores = torch.tensor([0.3, 2.0, 1.1, -0.4], requires_grad=True)
rewards = torch.tensor([1.0, -1.0, 3.0, 0.0])

choice = scores.argmax()  # an integer index: no gradient can flow through
print(
    f"argmax: {choice.item()}, dtype {choice.dtype}, "
    f"requires_grad {choice.requires_grad}"
)
try:
    rewards[choice].backward()
except RuntimeError as error:
    print(textwrap.fill(f"RuntimeError: {error}", 79))

top = scores.topk(2)  # values carry a gradient, indices do not
top.values.sum().backward()
print(
    f"topk indices {top.indices.tolist()}, "
    f"d(sum of top 2)/dscores = {scores.grad.tolist()}"
)

scores.grad = None
ranks = scores.argsort().argsort()  # rank of each entry: integers again
print(f"ranks {ranks.tolist()}, requires_grad {ranks.requires_grad}")
# --8<-- [end:hard]

# --8<-- [start:temperature]
import torch

x = torch.tensor([0.3, 2.0, 1.1, -0.4], dtype=torch.float64)
x_tie = torch.tensor([0.3, 2.0, 1.999, -0.4], dtype=torch.float64)
rewards = torch.tensor([1.0, -1.0, 3.0, 0.0], dtype=torch.float64)
hard_value = rewards[x.argmax()]  # the reward of the hard choice
print(f"hard choice: reward {hard_value.item()}; max(x) = {x.max().item()}")


def soft_reward(x, tau):  # a weighted average of the rewards
    x = x.clone().requires_grad_()
    soft = torch.softmax(x / tau, dim=0) @ rewards
    (grad,) = torch.autograd.grad(soft, x)
    return soft.item(), grad.norm().item()


print("  tau | soft reward |   gap | |grad| | |grad| (tie) |  smax | bound")
for tau in [10.0, 1.0, 0.1, 0.01]:
    soft, grad = soft_reward(x, tau)
    _, grad_tie = soft_reward(x_tie, tau)
    x_ = x.clone().requires_grad_()
    smooth_max = tau * torch.logsumexp(x_ / tau, dim=0)
    (dmax_dx,) = torch.autograd.grad(smooth_max, x_)
    assert torch.allclose(dmax_dx, torch.softmax(x / tau, dim=0))
    bound = x.max() + tau * torch.log(torch.tensor(4.0))
    assert x.max() <= smooth_max <= bound
    gap = abs(soft - hard_value)
    print(
        f"{tau:>5} | {soft:>11.3f} | {gap:>5.3f} | {grad:>6.2f} | "
        f"{grad_tie:>12.1f} | {smooth_max:>5.2f} | {bound:.2f}"
    )
# --8<-- [end:temperature]

# --8<-- [start:gumbel]
import torch

logits = torch.tensor([1.0, 0.5, -0.5, 0.0], dtype=torch.float64)
rewards = torch.tensor([1.0, -1.0, 3.0, 0.0], dtype=torch.float64)
p = torch.softmax(logits, dim=0)  # (4,), the categorical probabilities
# E[reward] = p @ rewards, so its exact gradient in the logits is
exact = p * (rewards - p @ rewards)  # (4,)

gen = torch.Generator().manual_seed(0)
samples = 200_000
u = torch.rand(samples, 4, generator=gen, dtype=torch.float64)
gumbel = -torch.log(-torch.log(u))  # (samples, 4), Gumbel(0, 1) noise
counts = torch.bincount((logits + gumbel).argmax(dim=1), minlength=4)
print(f"p                       {p.numpy().round(3)}")
print(f"argmax(logits + g) freq {(counts / samples).numpy().round(3)}")


def gumbel_softmax_grads(tau):  # (samples, 4): one gradient per sample
    rows = logits.repeat(samples, 1).requires_grad_()
    y = torch.softmax((rows + gumbel) / tau, dim=1)  # soft one-hot samples
    (grads,) = torch.autograd.grad((y @ rewards).sum(), rows)
    return grads


taus = [0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0]
bias, spread, std_error = [], [], []
print(f"exact gradient          {exact.numpy().round(3)}")
print("  tau | bias: |mean - exact| | std error of the mean | spread")
for tau in taus:
    g = gumbel_softmax_grads(tau)  # (samples, 4)
    bias.append((g.mean(dim=0) - exact).norm().item())
    spread.append(g.std(dim=0).norm().item())  # of one sample's gradient
    std_error.append(spread[-1] / samples**0.5)
    print(
        f"{tau:>5} | {bias[-1]:>20.4f} | {std_error[-1]:>21.4f} | "
        f"{spread[-1]:.3f}"
    )
# --8<-- [end:gumbel]

# --8<-- [start:straight_through]
import torch
import torch.nn.functional as F

logits = torch.tensor([1.0, 0.5, -0.5, 0.0], dtype=torch.float64)
rewards = torch.tensor([1.0, -1.0, 3.0, 0.0], dtype=torch.float64)


def sample_and_grad(loss, hard):  # one Gumbel-softmax sample, its gradient
    x = logits.clone().requires_grad_()
    torch.manual_seed(0)  # the same Gumbel noise every time
    y = F.gumbel_softmax(x, tau=0.5, hard=hard)  # (4,)
    loss(y).backward()
    return y.detach(), x.grad  # (4,), (4,)


linear, squared = (lambda y: y @ rewards), (lambda y: (y @ rewards) ** 2)
drawn, grads = {}, {}
for hard in (False, True):
    drawn[hard], grads[hard, "linear"] = sample_and_grad(linear, hard)
    _, grads[hard, "squared"] = sample_and_grad(squared, hard)
    print(f"hard={hard!s:<5} y = {drawn[hard].numpy().round(3)}")
    for loss in ("linear", "squared"):
        print(
            f"{loss:>18}: dloss/dlogits = {grads[hard, loss].numpy().round(3)}"
        )
# y @ r is linear in y: its gradient r is the same at both samples
assert torch.equal(grads[False, "linear"], grads[True, "linear"])
# (y @ r)^2 is not: hard=True takes its gradient 2 (y @ r) r at the hard y
ratio = (drawn[True] @ rewards) / (drawn[False] @ rewards)
assert torch.allclose(grads[True, "squared"], ratio * grads[False, "squared"])
print(f"ratio of the squared loss's gradients: {ratio:.2f}")
# --8<-- [end:straight_through]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(4.0, 3.4))
ax.loglog(taus, bias, "o-", label="bias: |mean − exact gradient|")
ax.loglog(taus, spread, "s--", label="spread: std of one sample")
ax.loglog(taus, std_error, "^:", label="std error of the mean")
ax.set_xlabel("temperature τ")
ax.set_ylabel("size of the error (log scale)")
ax.set_title("Gumbel-softmax gradient: the\ntemperature trades bias for noise")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2))
plt.show()
# --8<-- [end:plot]
