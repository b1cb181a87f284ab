"""Run the lab notebooks in the background while the chapters build.

mkdocs renders one page after another, and mkdocs-jupyter runs a lab when
it renders the lab's page: seven kernels, one at a time, after the
chapters. Started when the build starts, two at a time in worker
processes (so a chapter block's scratch directory or settings never reach
them), the labs run alongside the chapters' blocks, and each result is
written to mkdocs-jupyter's own cache, where the lab's page then finds
it. A lab that fails leaves no cache entry, so mkdocs-jupyter runs it
again and reports the error as it always does.

A worker runs the notebook itself (nbclient, as nbconvert would) and keeps
the executed `.ipynb` next to the cache entry: the site's download then
holds the outputs the page shows, and the page is rendered from it.

This uses three helpers of mkdocs-jupyter's plugin module (its cache key,
cache path and table of contents), pinned with it in requirements.txt;
tests/test_site.py checks that every lab was served from the cache.

Each cell's outputs are awaited in full (`lab_client`). By
default nbclient waits 4 s after a cell's reply for the kernel to say it
is idle, then carries on regardless; on a loaded machine the kernel can
still be inside its message handler then, the notebook's last outputs may
be lost, and the shutdown that follows interrupts the kernel (SIGINT) in
the middle of the handler: the kernel then logs
`KeyboardInterrupt caught in kernel` or, when the signal lands after the
handler, `ERROR:tornado.general:Uncaught exception in ZMQStream callback`,
which failed the strict build's log check with nothing wrong in the book.
"""

import json
import multiprocessing
import os
import pathlib
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor

import jupytext
import nbformat
from mkdocs_jupyter import convert
from mkdocs_jupyter import plugin as jupyter
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets.config import Config

from bookkit import blocks, where

CONVERT_OPTIONS = (  # mkdocs-jupyter's settings that nb2html takes
    "kernel_name",
    "theme",
    "allow_errors",
    "show_input",
    "no_input",
    "no_prompt",
    "remove_tag_config",
    "highlight_extra_classes",
    "include_requirejs",
    "custom_mathjax_url",
)


def lab_notebook(source) -> nbformat.NotebookNode:
    """The notebook of a jupytext lab, with a Python 3 kernel named."""
    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.validate(notebook)
    return notebook


class LabRunner:
    def __init__(self, notebooks_plugin, workers: int = 2):
        self.notebooks = notebooks_plugin
        self.settings = notebooks_plugin.config
        self.workers = workers
        self.pool = None
        self.running: dict[str, Future] = {}

    def start(self, files) -> None:
        """Start every lab whose page is not in the cache yet."""
        for file in files:
            if file.inclusion.is_excluded():
                continue  # e.g. every lab, when one page is checked
            if not self.notebooks.should_include(file):
                continue
            source = file.abs_src_path
            cache = self._cache_path(source)
            # an entry from before the executed .ipynb was kept runs again
            if not (cache.exists() and cache.with_suffix(".ipynb").exists()):
                self.running[source] = self._start(source, cache)

    def wait_for(self, source: str) -> None:
        """Let the lab at `source` finish before its page is rendered.
        A cell that raises (CellExecutionError) is left for mkdocs-jupyter
        to raise, with its message; any other failure (a timeout, a dead or
        unreachable kernel) is a warning, an error in a strict build:
        mkdocs-jupyter runs the lab again to draw its page, and the download
        may have no outputs."""
        future = self.running.pop(source, None)
        error = future.exception() if future is not None else None
        if error is not None and not isinstance(error, CellExecutionError):
            lab = blocks.relative(pathlib.Path(source))
            where.log.warning(
                f"{lab}: the lab's run in the background failed "
                f"({type(error).__name__}: {error}); mkdocs-jupyter runs it "
                "again, and the page's .ipynb download may have no outputs"
            )

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        self.running.clear()

    def executed(self, source: str) -> pathlib.Path | None:
        """The lab run with its outputs (.ipynb), if a worker ran it."""
        path = self._cache_path(source).with_suffix(".ipynb")
        return path if path.exists() else None

    def _execute(self, source: str) -> bool:
        ignored = self.settings["execute_ignore"] or []
        skip = any(pathlib.PurePath(source).match(p) for p in ignored)
        return self.settings["execute"] and not skip

    def _cache_path(self, source: str) -> pathlib.Path:
        key = jupyter._compute_cache_key(
            source, self.settings, self._execute(source)
        )
        return jupyter._get_cache_path(self.settings["cache_dir"], key)

    def _start(self, source: str, cache: pathlib.Path) -> Future:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn")
            )
        options = {name: self.settings[name] for name in CONVERT_OPTIONS}
        return self.pool.submit(
            run_lab,
            source,
            cache,
            self._execute(source),
            options,
            self.settings["toc_depth"],
            os.getcwd(),
        )


OUTPUT_WAIT = 300  # seconds a cell's last output may lag its reply


def lab_client(notebook, allow_errors: bool, sockets: str) -> NotebookClient:
    """A kernel client that waits for every cell's outputs and idle status,
    and fails if they never come (see the module's docstring). It talks to
    its kernel through local sockets (IPC) in the folder `sockets`, not TCP
    ports: nothing outside the machine can reach the kernel, and the kernel
    says nothing about unencrypted TCP in the build's log. Each kernel needs
    a folder of its own: by default jupyter_client names the sockets
    kernel-ipc-1 ... -5 in the working directory, taking the first names
    whose files do not exist yet; a kernel creates its files only once it
    is up, so two kernels started at once take the same names, and a
    client can end up talking to the other lab's kernel, whose messages
    fail its signature check ("Invalid Signature")."""
    return NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        allow_errors=allow_errors,
        iopub_timeout=OUTPUT_WAIT,
        raise_on_iopub_timeout=True,
        config=Config(
            {
                "KernelManager": {
                    "transport": "ipc",
                    "ip": os.path.join(sockets, "kernel"),
                }
            }
        ),
    )


def run_notebook(notebook, allow_errors=False) -> nbformat.NotebookNode:
    """Run `notebook` in a kernel whose sockets are in a temporary folder
    of its own; it returns the notebook, now with its outputs."""
    with tempfile.TemporaryDirectory(prefix="lab-kernel-") as sockets:
        lab_client(notebook, allow_errors, sockets).execute()
    return notebook


def run_lab(source, cache, execute, options, toc_depth, cwd) -> None:
    """Run one lab and write its page to the cache (in a worker process)."""
    os.chdir(cwd)
    # one thread per kernel, as the chapters' blocks run: the labs and the
    # chapters already keep every core busy
    os.environ.update(OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    notebook = lab_notebook(source)
    if execute:
        run_notebook(notebook, options["allow_errors"])
    executed = cache.with_suffix(".ipynb")
    executed.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, executed)
    body = convert.nb2html(str(executed), execute=False, **options)
    toc_tokens, title = jupyter._get_nb_toc_tokens(source, toc_depth)
    entry = {"content": body, "toc_tokens": toc_tokens, "title": title}
    cache.parent.mkdir(parents=True, exist_ok=True)
    partial = cache.with_suffix(".partial")
    partial.write_text(json.dumps(entry), encoding="utf-8")
    partial.replace(cache)  # a page never reads half an entry
