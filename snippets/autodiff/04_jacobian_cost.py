import time

import matplotlib.pyplot as plt
import torch
from torch.func import jacfwd, jacrev
from torch.utils.flop_counter import FlopCounterMode

torch.manual_seed(0)
threads = torch.get_num_threads()
torch.set_num_threads(1)  # steadier timings on a shared machine


def make_f(n, m, width=128):  # a small MLP from R^n to R^m
    w1 = torch.randn(width, n) / n**0.5
    w2 = torch.randn(width, width) / width**0.5
    w3 = torch.randn(m, width) / width**0.5

    def f(x):  # (n,) -> (m,)
        return w3 @ torch.tanh(w2 @ torch.tanh(w1 @ x))

    return f


def best_time(jac, x, budget=0.03):  # the fastest of several runs, in ms
    jac(x)  # warm up
    times, start = [], time.perf_counter()
    while len(times) < 3 or time.perf_counter() - start < budget:
        t0 = time.perf_counter()
        jac(x)
        times.append(time.perf_counter() - t0)
    return 1000 * min(times)


def flops(fn, *args):  # floating-point operations of the matrix products
    with FlopCounterMode(display=False) as counter:
        fn(*args)
    return counter.get_total_flops()


rows = []
for n in [4, 16, 64, 256, 1024]:
    m = 4096 // n  # every Jacobian has m * n = 4096 entries
    f, x = make_f(n, m), torch.randn(n)
    assert torch.allclose(jacfwd(f)(x), jacrev(f)(x), atol=1e-5)
    # work in units of one forward pass. FlopCounterMode counts products
    # of matrices (mm) but not matrix-vector ones (mv): f(x) counts 0, so
    # measure f on a batch of one column, and the counts below leave out
    # the one plain evaluation of f that jacfwd and jacrev also do
    one_pass = flops(f, x[:, None])
    p_fwd = flops(jacfwd(f), x) / one_pass  # n tangents, batched by vmap
    p_rev = flops(jacrev(f), x) / one_pass  # m cotangents, batched
    t_fwd, t_rev = best_time(jacfwd(f), x), best_time(jacrev(f), x)
    rows.append((m, n, t_fwd, t_rev, p_fwd, p_rev))
torch.set_num_threads(threads)

print(
    "| Jacobian (m × n) | shape | passes fwd / rev "
    "| jacfwd (ms) | jacrev (ms) | faster |"
)
print("| --- | --- | ---: | ---: | ---: | --- |")
for m, n, t_fwd, t_rev, p_fwd, p_rev in rows:
    shape = "tall" if m > n else "wide" if m < n else "square"
    faster = "jacfwd" if t_fwd < t_rev else "jacrev"
    print(
        f"| {m} × {n} | {shape} | {p_fwd:g} / {p_rev:g} "
        f"| {t_fwd:.2f} | {t_rev:.2f} | {faster} |"
    )

fig, ax = plt.subplots(figsize=(3.6, 3.4))
ns = [row[1] for row in rows]
ax.loglog(ns, [r[2] for r in rows], "o-", label="jacfwd (forward mode)")
ax.loglog(ns, [r[3] for r in rows], "s--", label="jacrev (reverse mode)")
ax.axvline(64, color="gray", linestyle=":", label="n = m (square)")
ax.set_xticks(ns, [f"{4096 // n}×{n}" for n in ns])
ax.set(
    xlabel="Jacobian shape m × n\n(outputs × inputs)",
    ylabel="time (ms, log scale)",
    title="Forward mode wins on tall,\nreverse on wide",
)
ax.legend(loc="upper center")
plt.show()
