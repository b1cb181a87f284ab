import torch

# name: (f, df_dx derived by hand with the chain rule)
examples = {
    "(3x+1)^5": (
        lambda x: (3 * x + 1) ** 5,
        lambda x: 15 * (3 * x + 1) ** 4,
    ),
    "sin(x^2)": (
        lambda x: torch.sin(x**2),
        lambda x: 2 * x * torch.cos(x**2),
    ),
    "ln(x^2+1)": (
        lambda x: torch.log(x**2 + 1),
        lambda x: 2 * x / (x**2 + 1),
    ),
    "sin(e^x)": (
        lambda x: torch.sin(torch.exp(x)),
        lambda x: torch.exp(x) * torch.cos(torch.exp(x)),
    ),
}

h = 1e-6
print(
    f"{'f(x)':<10} {'x':>5} {'by hand':>13} {'central diff':>13}"
    f" {'autograd':>13} {'cd gap':>8}"
)
for name, (f, df_dx) in examples.items():
    for value in [-0.4, 0.7]:
        x = torch.tensor(value, dtype=torch.float64, requires_grad=True)
        f(x).backward()
        with torch.no_grad():
            hand = df_dx(x).item()
            central = ((f(x + h) - f(x - h)) / (2 * h)).item()
        autograd = x.grad.item()
        print(
            f"{name:<10} {value:5.1f} {hand:13.6f} {central:13.6f}"
            f" {autograd:13.6f} {abs(central - hand):8.1e}"
        )
        assert abs(central - hand) <= 1e-7 * max(1.0, abs(hand))
        assert abs(autograd - hand) <= 1e-12 * max(1.0, abs(hand))
