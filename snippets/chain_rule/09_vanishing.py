import torch

zs = torch.arange(-1000, 1001, dtype=torch.float64) / 100  # (2001,)
s = torch.sigmoid(zs)
sigmoid_prime = s * (1 - s)
best = sigmoid_prime.argmax()
print(
    f"largest sigmoid'(z) = {sigmoid_prime.max().item():.4f}"
    f" at z = {zs[best].item():.1f}"
)
assert sigmoid_prime.max().item() <= 0.25

print(
    f"{'layers':>6} {'0.9**n':>9} {'0.25**n (best case)':>20}"
    f" {'measured chain':>15}"
)
for n in [10, 20, 50]:
    x = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    a = x
    for _ in range(n):
        a = torch.sigmoid(a)  # one layer: a_k = sigmoid(a_{k-1})
    a.backward()  # x.grad = product of the n local derivatives
    print(f"{n:6d} {0.9**n:9.2e} {0.25**n:20.2e} {x.grad.item():15.2e}")
    assert 0 < x.grad.item() <= 0.25**n
