# --8<-- [start:dual]
import math


# A number a + bε with ε² = 0: a carries the value, b the derivative.
class Dual:
    def __init__(self, real, eps=0.0):
        self.real = float(real)
        self.eps = float(eps)

    def __repr__(self):
        sign = "-" if self.eps < 0 else "+"
        return f"{self.real:g} {sign} {abs(self.eps):g}ε"

    def __add__(self, other):
        other = lift(other)
        return Dual(self.real + other.real, self.eps + other.eps)

    def __sub__(self, other):
        other = lift(other)
        return Dual(self.real - other.real, self.eps - other.eps)

    def __mul__(self, other):
        # (a + bε)(c + dε) = ac + (ad + bc)ε + bd ε², and ε² = 0
        other = lift(other)
        return Dual(
            self.real * other.real,
            self.real * other.eps + self.eps * other.real,
        )

    def __truediv__(self, other):
        other = lift(other)
        return Dual(
            self.real / other.real,
            (self.eps * other.real - self.real * other.eps) / other.real**2,
        )

    def __neg__(self):
        return Dual(-self.real, -self.eps)

    def __pow__(self, other):
        if not isinstance(other, Dual):  # a constant power: n a^(n-1)
            p = float(other)
            slope = p * self.real ** (p - 1) if p != 0 else 0.0
            return Dual(self.real**p, slope * self.eps)
        # a^b = exp(b log a), for a > 0
        return exp(other * log(self))

    def __rpow__(self, base):
        return exp(self * math.log(base))

    def __radd__(self, other):
        return lift(other) + self

    def __rsub__(self, other):
        return lift(other) - self

    def __rmul__(self, other):
        return lift(other) * self

    def __rtruediv__(self, other):
        return lift(other) / self


def lift(x):
    return x if isinstance(x, Dual) else Dual(x)


# f(a + bε) = f(a) + f'(a) b ε: each function brings its own derivative.
def sin(x):
    x = lift(x)
    return Dual(math.sin(x.real), math.cos(x.real) * x.eps)


def cos(x):
    x = lift(x)
    return Dual(math.cos(x.real), -math.sin(x.real) * x.eps)


def exp(x):
    x = lift(x)
    return Dual(math.exp(x.real), math.exp(x.real) * x.eps)


def log(x):
    x = lift(x)
    return Dual(math.log(x.real), x.eps / x.real)


# --8<-- [end:dual]


# --8<-- [start:square]
x = Dual(3.0, 1.0)  # the value 3, seeded with dx/dx = 1
print(f"x      = {x}")
print(f"x ** 2 = {x**2}")
print(f"x * x  = {x * x}")
# --8<-- [end:square]
