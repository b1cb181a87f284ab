# --8<-- [start:clip]
import torch
from torch import nn

inf, nan = float("inf"), float("nan")
a = torch.zeros(3, requires_grad=True)  # two parameters, (3,) and (2,)
b = torch.zeros(2, requires_grad=True)

for bad in (inf, nan):
    a.grad = torch.tensor([3.0, bad, 4.0])
    b.grad = torch.tensor([1.0, 2.0])
    norm = nn.utils.clip_grad_norm_([a, b], max_norm=1.0)
    print(
        f"one {bad} entry: norm {norm.item()}, "
        f"a.grad {a.grad.tolist()}, b.grad {b.grad.tolist()}"
    )

big = torch.tensor([1e20, 1.0])  # every entry finite in float32
print(f"norm of (1e20, 1) in float32: {torch.linalg.vector_norm(big)}")
# --8<-- [end:clip]

# --8<-- [start:error]
a.grad = torch.tensor([3.0, inf, 4.0])
try:
    nn.utils.clip_grad_norm_([a, b], max_norm=1.0, error_if_nonfinite=True)
except RuntimeError as err:
    print(f"RuntimeError: {str(err)[:60]}...")
# --8<-- [end:error]

# --8<-- [start:skip]
gen = torch.Generator().manual_seed(0)
X = torch.randn(30, 8, 4, generator=gen)  # (30, 8, 4): 30 batches of 8
w_true = torch.tensor([1.0, -2.0, 0.5, 3.0])  # (4,)
Y = X @ w_true  # (30, 8)
X[5, 0, 0] = 1e30  # one corrupted feature in batch 5
X_test = torch.randn(100, 4, generator=gen)  # (100, 4), held out


def train(skip_nonfinite):
    torch.manual_seed(0)
    model = nn.Linear(4, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    skipped = 0
    for x, y in zip(X, Y, strict=True):
        loss = ((model(x).squeeze(1) - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=5.0)
        if skip_nonfinite and not torch.isfinite(norm):
            skipped += 1
            continue  # leave the weights as they are
        opt.step()
    final = ((model(X_test).squeeze(1) - X_test @ w_true) ** 2).mean()
    return final.item(), skipped


for skip in (False, True):
    final, skipped = train(skip)
    print(
        f"skip non-finite steps: {skip!s:<5}  final loss {final:.3g}, "
        f"steps skipped {skipped}"
    )
# --8<-- [end:skip]

# --8<-- [start:value]
a.grad = torch.tensor([3.0, -0.5, 4.0])
b.grad = torch.tensor([inf, nan])
nn.utils.clip_grad_value_([a, b], clip_value=1.0)  # clamp to [-1, 1]
print(f"a.grad {a.grad.tolist()}, b.grad {b.grad.tolist()}")
# --8<-- [end:value]
