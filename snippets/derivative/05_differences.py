import math


def forward(f, x, h):
    return (f(x + h) - f(x)) / h


def backward(f, x, h):
    return (f(x) - f(x - h)) / h


def central(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


a = 1.0
exact = math.cos(a)  # the derivative of sin is cos
print("     h  forward error  backward error  central error")
for h in [0.1, 0.01, 0.001]:
    errors = [
        method(math.sin, a, h) - exact
        for method in (forward, backward, central)
    ]
    print(f"{h:>6} {errors[0]:>14.3e} {errors[1]:>15.3e} {errors[2]:>14.3e}")

h = 0.001
print(f"forward error / h  = {(forward(math.sin, a, h) - exact) / h:.5f}")
print(f"f''(1) / 2         = {-math.sin(a) / 2:.5f}")
print(f"central error / h² = {(central(math.sin, a, h) - exact) / h**2:.5f}")
print(f"f'''(1) / 6        = {-math.cos(a) / 6:.5f}")
