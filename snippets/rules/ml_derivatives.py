from typing import NamedTuple

import torch
from torch.nn.functional import binary_cross_entropy_with_logits, softplus


class Row(NamedTuple):
    name: str
    f_tex: str  # the function, in LaTeX
    df_tex: str  # its derivative, in LaTeX
    f: object  # the function, in torch
    df: object  # the derivative by the formula, in torch


def softmax(z):  # (n,) -> (n,)
    return torch.softmax(z, dim=0)


def softmax_jacobian(z):  # (n,) -> (n, n)
    s = softmax(z)
    return torch.diag(s) - torch.outer(s, s)


sigma = torch.sigmoid
y = torch.tensor([0.0, 0.0, 1.0, 0.0], dtype=torch.float64)  # target, (4,)

# fmt: off
ROWS = [
    Row("sigmoid", r"\sigma(x) = \dfrac{1}{1 + e^{-x}}",
        r"\sigma(x)\,\bigl(1 - \sigma(x)\bigr)",
        sigma, lambda x: sigma(x) * (1 - sigma(x))),
    Row("tanh", r"\tanh x = \dfrac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
        r"1 - \tanh^2 x",
        torch.tanh, lambda x: 1 - torch.tanh(x) ** 2),
    Row("ReLU", r"\max(0, x)",
        r"1 \text{ if } x > 0 \text{, else } 0"
        r" \text{ (at } x = 0 \text{ by convention, as in PyTorch)}",
        torch.relu, lambda x: (x > 0).to(x.dtype)),
    Row("softplus", r"\ln(1 + e^{x})",
        r"\sigma(x)",
        softplus, sigma),
    Row("softmax", r"s_i = \dfrac{e^{z_i}}{\sum_j e^{z_j}}",
        r"\dfrac{\partial s_i}{\partial z_j} = s_i\,(\delta_{ij} - s_j)",
        softmax, softmax_jacobian),
    Row("log-sum-exp", r"\operatorname{LSE}(\mathbf{z}) = \ln \sum_j e^{z_j}",
        r"\dfrac{\partial\,\mathrm{LSE}}{\partial z_i} = s_i",
        lambda z: torch.logsumexp(z, dim=0), softmax),
    Row("MSE", r"L = \dfrac{1}{n} \sum_i (\hat y_i - y_i)^2",
        r"\dfrac{\partial L}{\partial \hat y_i} = \frac{2}{n}(\hat y_i - y_i)",
        lambda y_hat: torch.mean((y_hat - y) ** 2),
        lambda y_hat: 2 / len(y) * (y_hat - y)),
    Row("cross-entropy of softmax",
        r"L = -\sum_i y_i \ln p_i,\ \mathbf{p} = \mathrm{softmax}(\mathbf{z})",
        r"\dfrac{\partial L}{\partial z_i} = p_i - y_i"
        r",\ \text{if } \sum_j y_j = 1",
        lambda z: -torch.sum(y * torch.log_softmax(z, dim=0)),
        lambda z: softmax(z) - y),
    Row("BCE with logits",  # per entry; the code sums over entries
        r"L = -y \ln \sigma(z) - (1 - y) \ln \sigma(-z)",
        r"\dfrac{\partial L}{\partial z} = \sigma(z) - y",
        lambda z: binary_cross_entropy_with_logits(z, y, reduction="sum"),
        lambda z: sigma(z) - y),
]
# fmt: on

print("| Function | Definition | Derivative |")
print("| --- | --- | --- |")
for row in ROWS:
    print(rf"| {row.name} | \({row.f_tex}\) | \({row.df_tex}\) |")
