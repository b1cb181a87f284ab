def g(x):
    return 3 * x + 1


def f(u):
    return u**2


x = 1.5
h = 1e-6
u = g(x)
y = f(u)
du = g(x + h) - u  # how far u moves when x moves by h
dy = f(u + du) - y  # how far y moves when u moves by du
print(f"x = {x}, u = g(x) = {u}, y = f(u) = {y}")
print(f"gain of g:        du/dx = {du / h:.4f}")
print(f"gain of f:        dy/du = {dy / du:.4f}")
print(f"product of gains:       = {(du / h) * (dy / du):.4f}")
print(f"sum of gains:           = {du / h + dy / du:.4f}")
print(f"whole pipeline:   dy/dx = {(f(g(x + h)) - y) / h:.4f}")
