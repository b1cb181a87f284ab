import torch


def route(op, a, b, upstream=5.0):
    """Backpropagate `upstream` = dL/d(out) through out = op(a, b)."""
    a = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    out = op(a, b)
    out.backward(torch.tensor(upstream, dtype=torch.float64))
    return a.grad.item(), b.grad.item()


gates = {
    "add a + b": (torch.add, (5.0, 5.0)),  # both get the upstream
    "mul a * b": (torch.mul, (5.0 * -2.0, 5.0 * 3.0)),  # swap, scale
    "max max(a, b)": (torch.maximum, (5.0, 0.0)),  # all to the larger
}
print("a = 3, b = -2, upstream dL/d(out) = 5")
for name, (op, expected) in gates.items():
    dL_da, dL_db = route(op, 3.0, -2.0)
    print(f"  {name:<14} dL/da = {dL_da:5.1f}   dL/db = {dL_db:5.1f}")
    assert (dL_da, dL_db) == expected

print("a tie: a = b = 2, upstream 5")
tie = route(torch.maximum, 2.0, 2.0)
print(f"  torch.maximum(a, b)   dL/da = {tie[0]}   dL/db = {tie[1]}")
tied_grads = {}
for name in ["x.max()", "x.max(dim=0)"]:
    x = torch.tensor([2.0, 2.0, 1.0], dtype=torch.float64)  # (3,)
    x.requires_grad_()  # two tied maxima
    out = x.max() if name == "x.max()" else x.max(dim=0).values
    out.backward(torch.tensor(5.0, dtype=torch.float64))
    tied_grads[name] = x.grad.tolist()
    print(f"  {name:<21} x.grad = {tied_grads[name]}")
assert tie == (2.5, 2.5)  # split evenly
assert tied_grads == {
    "x.max()": [2.5, 2.5, 0.0],  # split evenly
    "x.max(dim=0)": [5.0, 0.0, 0.0],  # all to one index
}
