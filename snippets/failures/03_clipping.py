import torch

n, T, lr = 16, 20, 0.05
gen = torch.Generator().manual_seed(0)


def matrix_with_radius(rho):
    A = torch.randn(n, n, generator=gen, dtype=torch.float64)
    return A * (rho / torch.linalg.eigvals(A).abs().max())


def unroll(W, h):
    for _ in range(T):
        h = h @ W.T  # h_t = W h_{t-1}, for a batch of rows
    return h


h0 = torch.randn(64, n, generator=gen, dtype=torch.float64)  # (64, n)
target = unroll(matrix_with_radius(0.9), h0)  # a stable "teacher"
W_start = matrix_with_radius(1.2)


def train(clip, steps=30):
    W = W_start.clone().requires_grad_()
    losses = []
    for step in range(steps):
        loss = ((unroll(W, h0) - target) ** 2).mean()
        W.grad = None
        loss.backward()
        if clip is not None:
            before = torch.nn.utils.clip_grad_norm_([W], max_norm=clip)
            if step == 0:
                after = W.grad.norm()
                print(f"step 0: norm before {before:.3g}, after {after:.3g}")
        with torch.no_grad():
            W -= lr * W.grad
        losses.append(loss.item())
    return losses


plain = train(clip=None)
clipped = train(clip=1.0)
print(f"{'step':>4} {'no clipping':>12} {'clip at 1.0':>12}")
for step in (0, 1, 2, 5, 10, 29):
    print(f"{step:>4} {plain[step]:>12.3g} {clipped[step]:>12.3g}")
