"""Write the student folder: every exercise's starter notebook and public checks, no solutions.

``exercises/NN-topic/`` folders are copied; ``_teacher/`` (solutions and the
notebook builder), hidden files, caches and checkpoints are left out, and the
notebooks' outputs are cleared. A starter notebook holding a solution cell is
refused.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from ..core.problems import FinshareError, Problem, Source
from . import EXERCISES

SKIP = ("_teacher", "__pycache__", ".ipynb_checkpoints")


def default_source() -> Path:
    """The ``exercises/`` folder of this finshare checkout."""
    return Path(__file__).resolve().parents[2] / "exercises"


def release(out: Path, source: Path | None = None) -> list[Path]:
    """Copy the exercise folders of ``source`` into ``out`` (which must be new or empty); the files written."""
    source, out = Path(source or default_source()).resolve(), Path(out).resolve()
    _check_paths(source, out)
    written = []
    for folder in sorted(p for p in source.iterdir() if p.is_dir() and p.name in EXERCISES):
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(source)
            if path.is_dir() or any(part in SKIP or part.startswith((".", "hidden")) for part in rel.parts):
                continue
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".ipynb":
                _write_clean(path, target)
            else:
                shutil.copy2(path, target)
            written.append(target)
    return written


def _check_paths(source: Path, out: Path) -> None:
    problems = []
    if not source.is_dir():
        problems.append(Problem("missing-file", "找不到练习文件夹 / exercises folder not found", Source(str(source)),
                                "run from a finshare checkout, or give --source exercises/"))
    elif out == source or source in out.parents:
        problems.append(Problem("bad-output", "输出文件夹在练习文件夹里面 / the output folder is inside the exercises "
                                "folder", Source(str(out)), "write the student folder somewhere else"))
    elif out.exists() and any(out.iterdir()):
        problems.append(Problem("output-exists", "输出文件夹不是空的 / the output folder is not empty",
                                Source(str(out)), "choose a new folder (nothing is overwritten)"))
    if problems:
        raise FinshareError(problems, "不能发布练习 / cannot release the exercises")


def _write_clean(path: Path, target: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for n, cell in enumerate(nb.cells, start=1):
        if "solution" in cell.get("metadata", {}).get("tags", []):
            raise FinshareError([Problem("solution-in-starter", "学生笔记本里有答案单元格 / a starter notebook holds "
                                         "a solution cell", Source(str(path), field=f"cell {n}"),
                                         "regenerate it: python exercises/_teacher/make_notebooks.py")])
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(nb, target)
