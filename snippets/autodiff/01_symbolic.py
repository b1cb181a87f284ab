# --8<-- [start:differentiator]
import math


# An expression is "x", a number, or a tuple (op, *args).
def add(a, b):
    if a == 0:
        return b
    if b == 0:
        return a
    return ("+", a, b)


def sub(a, b):
    return a if b == 0 else ("-", a, b)


def mul(a, b):
    if a == 0 or b == 0:
        return 0
    if a == 1:
        return b
    if b == 1:
        return a
    return ("*", a, b)


def d(e):
    if e == "x":
        return 1
    if isinstance(e, (int, float)):
        return 0
    op, *args = e
    if op == "+":
        return add(d(args[0]), d(args[1]))
    if op == "-":
        return sub(d(args[0]), d(args[1]))
    if op == "*":
        a, b = args
        return add(mul(d(a), b), mul(a, d(b)))  # product rule
    a = args[0]
    outer = {"sin": ("cos", a), "cos": mul(-1, ("sin", a)), "exp": e}[op]
    return mul(outer, d(a))  # chain rule


def size(e):
    if isinstance(e, tuple):
        return 1 + sum(size(arg) for arg in e[1:])
    return 1


def show(e):
    if not isinstance(e, tuple):
        return str(e)
    op, *args = e
    if op in "+-*":
        return f"({show(args[0])} {op} {show(args[1])})"
    return f"{op}({show(args[0])})"


def evaluate(e, x):
    if e == "x":
        return x
    if not isinstance(e, tuple):
        return e
    op, *args = e
    v = [evaluate(arg, x) for arg in args]
    if op == "+":
        return v[0] + v[1]
    if op == "-":
        return v[0] - v[1]
    if op == "*":
        return v[0] * v[1]
    return getattr(math, op)(v[0])


# --8<-- [end:differentiator]


# --8<-- [start:small]
f = ("*", "x", ("sin", "x"))
print("f  =", show(f))
print("f' =", show(d(f)))
# --8<-- [end:small]


# --8<-- [start:swell]
factors = [("sin", "x"), ("cos", "x"), ("exp", "x"), "x"]
print("product of n factors")
print(f"{'n':>3} {'nodes in f':>11} {'nodes in df':>12}")
f = factors[0]
for n in range(1, 9):
    if n > 1:
        f = mul(f, factors[(n - 1) % 4])
    print(f"{n:>3} {size(f):>11} {size(d(f)):>12}")

print("logistic map: l1 = x, l(k+1) = 4 l(k) (1 - l(k))")
print(f"{'k':>3} {'ops in code':>11} {'nodes in l':>11} {'nodes in dl':>12}")
lk = "x"
for k in range(1, 8):
    if k > 1:
        lk = mul(mul(4, lk), sub(1, lk))
    print(f"{k:>3} {3 * (k - 1):>11} {size(lk):>11} {size(d(lk)):>12}")
# --8<-- [end:swell]
