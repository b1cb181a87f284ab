import torch

kw = {"dtype": torch.float64, "requires_grad": True}
W1 = torch.tensor([[0.4, -0.7], [0.9, 0.3]], **kw)  # (2, 2)
b1 = torch.tensor([0.1, -0.2], **kw)  # (2,)
W2 = torch.tensor([[1.1, -0.6]], **kw)  # (1, 2)
b2 = torch.tensor([0.05], **kw)  # (1,)
x = torch.tensor([1.0, 2.0], **kw)  # (2,)
y = torch.tensor([0.3], dtype=torch.float64)  # (1,) the target

h1 = torch.sigmoid(W1 @ x + b1)  # (2,)
y_hat = W2 @ h1 + b2  # (1,) the output layer is linear
loss = ((y_hat - y) ** 2).sum()
loss.backward()

print(f"loss = {loss.item():.8f}")
for k, (W, b) in enumerate([(W1, b1), (W2, b2)], start=1):
    print(f"dL/dW{k} =\n{W.grad.numpy()}\ndL/db{k} = {b.grad.numpy()}")
print(f"dL/dx  = {x.grad.numpy()}")
