"""Run page code the same way for the build and for the tests.

Every run starts from the same global state (seeds, default dtype, print
options, figures, warnings, working directory), so no block passes only
because another one ran first. Output is recorded in order: text as it is
printed, and figures as `plt.show()` is called.
"""

import ast
import contextlib
import linecache
import os
import random
import sys
import tempfile
import warnings
from dataclasses import dataclass, field

import numpy as np

NUMPY_PRINT_DEFAULTS = np.get_printoptions()
SEED = 0


@dataclass
class Output:
    chunks: list[tuple[str, str]] = field(default_factory=list)

    def write(self, text: str) -> int:
        if self.chunks and self.chunks[-1][0] == "text":
            self.chunks[-1] = ("text", self.chunks[-1][1] + text)
        else:
            self.chunks.append(("text", text))
        return len(text)

    def flush(self) -> None:
        pass

    def add_figure(self, svg: str) -> None:
        self.chunks.append(("figure", svg))

    @property
    def text(self) -> str:
        return "".join(body for kind, body in self.chunks if kind == "text")

    @property
    def figures(self) -> list[str]:
        return [body for kind, body in self.chunks if kind == "figure"]


def reset_global_state() -> None:
    """Put back everything a block could change that outlives it."""
    random.seed(SEED)
    np.random.seed(SEED)
    np.set_printoptions(**NUMPY_PRINT_DEFAULTS)
    if "torch" in sys.modules:
        import torch

        torch.manual_seed(SEED)
        torch.set_num_threads(1)  # small tensors: faster, and bit-for-bit
        torch.set_default_dtype(torch.float32)
        torch.set_printoptions(profile="default")
        torch.set_grad_enabled(True)
        torch.autograd.set_detect_anomaly(False)
    from bookkit import figures

    figures.reset()


def global_state() -> dict:
    """The state a session's next block continues from, as it would in one
    interpreter: random generators, default dtype, print options."""
    state = {
        "random": random.getstate(),
        "numpy": np.random.get_state(),
        "numpy_print": np.get_printoptions(),
    }
    if "torch" in sys.modules:
        import torch

        state["torch_rng"] = torch.get_rng_state()
        state["torch_dtype"] = torch.get_default_dtype()
        state["torch_grad"] = torch.is_grad_enabled()
    return state


def restore_global_state(state: dict) -> None:
    reset_global_state()
    random.setstate(state["random"])
    np.random.set_state(state["numpy"])
    np.set_printoptions(**state["numpy_print"])
    if "torch_rng" in state:
        import torch

        torch.set_rng_state(state["torch_rng"])
        torch.set_default_dtype(state["torch_dtype"])
        torch.set_grad_enabled(state["torch_grad"])


def _show_warning(message, category, *args, **kwargs):
    print(f"{category.__name__}: {message}", file=sys.stderr)


def _python_default_warning_filters() -> None:
    """The filters a plain `python script.py` starts with (not pytest's):
    deprecations show only when the reader's own code triggers them."""
    warnings.resetwarnings()
    for category in (
        ResourceWarning,
        ImportWarning,
        PendingDeprecationWarning,
    ):
        warnings.filterwarnings("ignore", category=category)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    warnings.filterwarnings(
        "default", category=DeprecationWarning, module="__main__"
    )


def register_source(filename: str, source: str) -> None:
    """Let tracebacks and `inspect` see the code of a block."""
    lines = [line + "\n" for line in source.split("\n")]
    linecache.cache[filename] = (len(source), None, lines, filename)


@contextlib.contextmanager
def isolated(workdir: str | None = None):
    """A clean global state, a scratch directory and captured output."""
    output = Output()
    cwd = os.getcwd()
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = stack.enter_context(tempfile.TemporaryDirectory())
        stack.enter_context(warnings.catch_warnings())
        _python_default_warning_filters()
        warnings.showwarning = _show_warning
        stack.enter_context(contextlib.redirect_stdout(output))
        stack.enter_context(contextlib.redirect_stderr(output))
        from bookkit import figures

        figures.capture_into(output)
        os.chdir(workdir)
        try:
            yield output
        finally:
            os.chdir(cwd)
            figures.capture_into(None)
            figures.reset()


def compile_block(source: str, filename: str):
    """Compile a block as a script; a failing assert shows the values it
    compared (rewritten as pytest rewrites a test module's asserts)."""
    tree = ast.parse(source, filename)
    try:
        from _pytest.assertion.rewrite import rewrite_asserts
    except ImportError:  # without pytest: plain asserts
        pass
    else:
        rewrite_asserts(tree, source.encode())
    return compile(tree, filename, "exec", dont_inherit=True)


def execute(source: str, filename: str, namespace: dict) -> None:
    """Run one block's code in `namespace` as a script would run it."""
    namespace.setdefault("__name__", "__main__")
    namespace.setdefault("__builtins__", __builtins__)
    register_source(filename, source)
    exec(compile_block(source, filename), namespace)
