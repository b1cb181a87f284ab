"""`python -m MODULE ARGS` for the planted sites, without the imports.

Each planted site is built, and tested, by a command of its own, as a
contributor runs it. A new Python spends two seconds importing mkdocs-jupyter,
nbconvert, matplotlib and pytest before it reads the site; here the command
runs in a fork of a server that imported them once (multiprocessing's
forkserver). The book's own modules are not preloaded: they read their
environment (BOOK_MKDOCS_YML) as the command starts, as in a new process.
"""

import atexit
import multiprocessing
import os
import runpy
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

PRELOAD = [
    "mkdocs.__main__",
    "mkdocs.commands.build",
    "mkdocs_jupyter.plugin",
    "material.plugins.search.plugin",
    "markdown_exec",
    "pymdownx.superfences",
    "fontTools.subset",
    "matplotlib.pyplot",
    "numpy",
    "pytest",
]
_server = None


def _forks():
    global _server
    if _server is None:
        _server = multiprocessing.get_context("forkserver")
        _server.set_forkserver_preload(PRELOAD)
    return _server


def _main(module: str, args: list[str], cwd: str, env: dict, out, err):
    """The child: `python -m module args` with its output in files."""
    os.dup2(os.open(out, os.O_WRONLY), 1)
    os.dup2(os.open(err, os.O_WRONLY), 2)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, cwd)  # as `python -m` puts the working directory
    sys.argv = [module, *args]
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exit:
        code = exit.code
        if isinstance(code, str):
            print(code, file=sys.stderr)
            code = 1
        code = code or 0
    except BaseException:
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()  # as a process that ends runs them
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def run(
    module: str, *args, cwd: Path, env: dict
) -> subprocess.CompletedProcess:
    """Run `python -m module args` in `cwd` with environment `env`, its
    output captured as text, as `subprocess.run` would."""
    args = [str(arg) for arg in args]
    with tempfile.TemporaryDirectory() as folder:
        out, err = Path(folder, "out"), Path(folder, "err")
        out.touch()
        err.touch()
        process = _forks().Process(
            target=_main,
            args=(module, args, str(cwd), dict(env), str(out), str(err)),
        )
        process.start()
        process.join()
        return subprocess.CompletedProcess(
            [sys.executable, "-m", module, *args],
            process.exitcode,
            out.read_text(encoding="utf-8", errors="replace"),
            err.read_text(encoding="utf-8", errors="replace"),
        )
