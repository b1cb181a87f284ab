# --8<-- [start:setup]
import torch

gen = torch.Generator().manual_seed(0)
A = torch.randn(40, 10, generator=gen, dtype=torch.float64)  # (40, 10)
b = torch.randn(40, generator=gen, dtype=torch.float64)  # (40,)
A_val = torch.randn(20, 10, generator=gen, dtype=torch.float64)  # (20, 10)
b_val = torch.randn(20, generator=gen, dtype=torch.float64)  # (20,)
lam0 = 2.0  # the regularisation strength, the "theta" of this section
# a step size that makes gradient descent on the inner problem converge
lr = 1 / (torch.linalg.matrix_norm(A, ord=2) ** 2 + lam0).item()


def inner_grad(x, lam):  # F(x, lam): zero exactly at the solution x*(lam)
    return A.T @ (A @ x - b) + lam * x  # (10,)


def solve(lam, steps):  # gradient descent on 1/2|Ax - b|^2 + lam/2 |x|^2
    x = torch.zeros(10, dtype=torch.float64)
    for _ in range(steps):
        x = x - lr * inner_grad(x, lam)
    return x


def val_loss(x):  # the outer loss: how well x* does on held-out data
    return 0.5 * ((A_val @ x - b_val) ** 2).sum()


# the exact answer, for reference: a direct solve, differentiated by autograd
lam = torch.tensor(lam0, dtype=torch.float64, requires_grad=True)
eye = torch.eye(10, dtype=torch.float64)
x_exact = torch.linalg.solve(A.T @ A + lam * eye, A.T @ b)  # (10,)
(exact,) = torch.autograd.grad(val_loss(x_exact), lam)
print(f"exact dL_val/dlam = {exact.item():.10f}")
# --8<-- [end:setup]


# --8<-- [start:both]
def saved_bytes(fn):  # run fn; count the bytes autograd keeps for backward
    kept = {}  # storage -> bytes: A is saved at every step, but counts once

    def pack(t):
        kept[t.untyped_storage().data_ptr()] = t.untyped_storage().nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        out = fn()
    return out, sum(kept.values())


def count_nodes(grad_fn):  # operations the backward pass will run
    seen, todo = set(), [grad_fn]
    while todo:
        node = todo.pop()
        if node is not None and node not in seen:
            seen.add(node)
            todo += [next_fn for next_fn, _ in node.next_functions]
    return len(seen)


def unrolled(steps):  # differentiate through every step of the solver
    lam = torch.tensor(lam0, dtype=torch.float64, requires_grad=True)
    loss, nbytes = saved_bytes(lambda: val_loss(solve(lam, steps)))
    nodes = count_nodes(loss.grad_fn)
    (dL_dlam,) = torch.autograd.grad(loss, lam)
    return dL_dlam.item(), nbytes, nodes


def implicit(steps):  # solve without a graph, then one linear solve
    with torch.no_grad():
        x = solve(lam0, steps)  # (10,)

    def backward():
        x_ = x.clone().requires_grad_()
        (dL_dx,) = torch.autograd.grad(val_loss(x_), x_)  # (10,)
        dF_dx = A.T @ A + lam0 * eye  # (10, 10), the Jacobian of F in x
        dF_dlam = x  # F = A^T(Ax - b) + lam x, so dF/dlam = x
        u = torch.linalg.solve(dF_dx.T, dL_dx)  # (dF/dx)^-T dL/dx, (10,)
        return -(u @ dF_dlam)

    dL_dlam, nbytes = saved_bytes(backward)
    return dL_dlam.item(), nbytes


print("       |    error of dL/dlam   |   unrolled   | implicit")
print(" steps | unrolled |  implicit  | nodes |   KB |   KB")
results = {}
for steps in [10, 30, 100, 300, 1000]:
    g_unr, bytes_unr, nodes = unrolled(steps)
    g_imp, bytes_imp = implicit(steps)
    err_unr, err_imp = abs(g_unr - exact.item()), abs(g_imp - exact.item())
    results[steps] = (err_unr, err_imp, nodes, bytes_unr, bytes_imp)
    print(
        f"{steps:>6} | {err_unr:8.1e} | {err_imp:10.1e} | {nodes:>5} "
        f"| {bytes_unr / 1e3:>4.1f} | {bytes_imp / 1e3:>6.1f}"
    )
# --8<-- [end:both]

# --8<-- [start:plot]
import matplotlib.pyplot as plt

steps = sorted(results)
fig, (ax_err, ax_mem) = plt.subplots(
    2, 1, figsize=(4.0, 5.6), sharex=True
)  # stacked: readable on a phone
for col, style, label in [(0, "o-", "unrolled"), (1, "s--", "implicit")]:
    errors = [max(results[s][col], 1e-18) for s in steps]  # log scale: > 0
    ax_err.loglog(steps, errors, style, label=label)
for col, style, label in [(3, "o-", "unrolled"), (4, "s--", "implicit")]:
    ax_mem.loglog(
        steps, [results[s][col] / 1e3 for s in steps], style, label=label
    )
ax_err.set_ylabel("error of dL/dλ")
ax_err.set_title("Accuracy")
ax_mem.set_xlabel("solver steps")
ax_mem.set_ylabel("kept for backward (KB)")
ax_mem.set_title("Memory")
ax_err.legend()
fig.tight_layout()
plt.show()
# --8<-- [end:plot]
