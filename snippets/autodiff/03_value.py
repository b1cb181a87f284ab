# --8<-- [start:engine]
import math


class Value:
    def __init__(self, data, parents=(), op=""):
        self.data = float(data)
        self.grad = 0.0  # dL/d(this node), filled in by backward()
        self.parents = parents
        self.op = op
        self._backward = lambda: None  # pushes out.grad to the parents

    def __repr__(self):
        return f"Value({self.data:.4g}, grad={self.grad:.4g})"

    def __add__(self, other):
        other = lift(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = lift(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, k):  # k is a plain number
        out = Value(self.data**k, (self,), f"**{k}")

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def log(self):
        out = Value(math.log(self.data), (self,), "log")

        def _backward():
            self.grad += out.grad / self.data

        out._backward = _backward
        return out

    def tanh(self):
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            self.grad += (1 - out.data**2) * out.grad

        out._backward = _backward
        return out

    def relu(self):
        out = Value(max(self.data, 0.0), (self,), "relu")

        def _backward():
            self.grad += (self.data > 0) * out.grad

        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __truediv__(self, other):
        return self * lift(other) ** -1

    def __radd__(self, other):
        return self + other

    def __rsub__(self, other):
        return lift(other) - self

    def __rmul__(self, other):
        return self * other

    def __rtruediv__(self, other):
        return lift(other) / self

    def backward(self):
        order, seen = [], set()

        def visit(node):  # depth first: parents before children
            if node not in seen:
                seen.add(node)
                for parent in node.parents:
                    visit(parent)
                order.append(node)

        visit(self)
        for node in order:  # intermediate nodes start from zero, so that
            if node.parents:  # a second backward() adds once more to leaves
                node.grad = 0.0
        self.grad = 1.0  # dL/dL
        for node in reversed(order):
            node._backward()


def lift(x):
    return x if isinstance(x, Value) else Value(x)


# --8<-- [end:engine]


# --8<-- [start:neuron]
x, w, b = Value(2.0), Value(-0.5), Value(0.3)
y = (w * x + b).tanh()
loss = (y - 1.0) ** 2 + w * w  # w appears in two places
loss.backward()
for name, node in [("loss", loss), ("y", y), ("w", w), ("x", x), ("b", b)]:
    print(f"{name:>4}: {node}")
# --8<-- [end:neuron]
