import math


def f(x):
    return math.sin(x**2)


h = 1e-5
print("   x  central diff   multiply        add  outer at x")
for x in [0.5, 1.5, 2.0, 2.5]:
    central = (f(x + h) - f(x - h)) / (2 * h)
    multiply = math.cos(x**2) * 2 * x  # f' at u = x**2, times 2x
    add = math.cos(x**2) + 2 * x  # wrong: adds the two derivatives
    outer_at_x = math.cos(x) * 2 * x  # wrong: f' evaluated at x, not u
    print(
        f"{x:4.1f} {central:13.6f} {multiply:10.6f} {add:10.6f}"
        f" {outer_at_x:11.6f}"
    )
    assert abs(multiply - central) < 1e-8
    assert abs(add - central) > 0.5
    assert abs(outer_at_x - central) > 0.05

# "outer at x" is right by accident where cos(x**2) = cos(x), that is
# where x**2 = x + 2*pi*k or x**2 = -x + 2*pi*k for an integer k
accidents = sorted(
    (sign + math.sqrt(1 + 8 * math.pi * k)) / 2
    for k in range(3)
    for sign in (1, -1)
)
accidents = [x for x in accidents if 0 < x < 3.1]
listed = ", ".join(f"{x:.2f}" for x in accidents)
print(f"outer at x is right by accident at x = {listed}")
for x in accidents:
    assert abs(math.cos(x) * 2 * x - math.cos(x**2) * 2 * x) < 1e-12
