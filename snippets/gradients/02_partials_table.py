import torch


def central_partial(f, point, i, h=1e-6):
    up, down = list(point), list(point)
    up[i] += h
    down[i] -= h
    return (f(*up) - f(*down)) / (2 * h)


def autograd_partials(f, point):
    args = [
        torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in point
    ]
    f(*args).backward()
    return [a.grad.item() for a in args]


# (name, f, point, [(variable, partial as LaTeX, partial as code), ...])
cases = [
    (
        "x^2 y + 3xy^2",
        lambda x, y: x**2 * y + 3 * x * y**2,
        (2.0, 1.0),
        [
            ("x", "2xy + 3y^2", lambda x, y: 2 * x * y + 3 * y**2),
            ("y", "x^2 + 6xy", lambda x, y: x**2 + 6 * x * y),
        ],
    ),
    (
        "x^2 + 3xy + y^2",
        lambda x, y: x**2 + 3 * x * y + y**2,
        (1.0, 2.0),
        [
            ("x", "2x + 3y", lambda x, y: 2 * x + 3 * y),
            ("y", "3x + 2y", lambda x, y: 3 * x + 2 * y),
        ],
    ),
    (
        "xy^2z^3",
        lambda x, y, z: x * y**2 * z**3,
        (1.5, 2.0, -1.0),
        [
            ("x", "y^2 z^3", lambda x, y, z: y**2 * z**3),
            ("y", "2xyz^3", lambda x, y, z: 2 * x * y * z**3),
            ("z", "3xy^2z^2", lambda x, y, z: 3 * x * y**2 * z**2),
        ],
    ),
]

print(
    "| function \\(f\\) | at | partial derivative, by hand | value"
    " | central difference | autograd |"
)
print("|---|---|---|--:|--:|--:|")
for name, f, point, partials in cases:
    from_autograd = autograd_partials(f, point)
    at = "(" + ", ".join(f"{p:g}" for p in point) + ")"
    for i, (var, latex, formula) in enumerate(partials):
        exact = formula(*point)
        numeric = central_partial(f, point, i)
        assert abs(numeric - exact) < 1e-6
        assert abs(from_autograd[i] - exact) < 1e-12
        print(
            f"| \\({name}\\) | {at}"
            f" | \\(\\partial f/\\partial {var} = {latex}\\)"
            f" | {exact:g} | {numeric:.6f} | {from_autograd[i]:g} |"
        )
