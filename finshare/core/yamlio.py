"""Loading YAML safely: plain data only, no duplicate keys, faults as problems.

Every YAML file of the package (books, templates, schemes, document types,
the master-data schema) is read through :func:`load_yaml`. It builds plain
data only (a subclass of PyYAML's safe loader, with libyaml's parser where
available: ``!!python`` tags never construct objects) and refuses a mapping that repeats a key, which PyYAML
would otherwise accept silently, keeping the last value.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .problems import FinshareError, Problem, Source
from .textio import read_text

_MERGE_TAG = "tag:yaml.org,2002:merge"


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping repeats a key; ``key``, ``first_line`` and ``line`` say where (1-based)."""

    def __init__(self, key, first_line: int, node: yaml.Node):
        super().__init__(None, None, f"duplicate key {key!r}", node.start_mark)
        self.key, self.first_line, self.line = key, first_line, node.start_mark.line + 1


#: libyaml's parser when PyYAML was built with it (ten times faster), else the pure-Python one; either way
#: only the safe constructor builds objects.
_SAFE_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UniqueKeyLoader(_SAFE_BASE):
    """A SafeLoader that refuses a mapping with a repeated key (merge keys ``<<`` may be overridden)."""

    def check_unique(self, node: yaml.MappingNode) -> None:
        """Raise :class:`DuplicateKeyError` at the second occurrence of a key of ``node``."""
        seen: dict = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key: SafeLoader reports it itself
                continue
            if first is not None:
                raise DuplicateKeyError(key, first, key_node)
            seen[key] = key_node.start_mark.line + 1

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            self.check_unique(node)
        return super().construct_mapping(node, deep=deep)


class LineMap(dict):
    """A mapping that remembers its line and the line of each key's value (1-based)."""

    line: int = 0
    key_lines: dict


class LineLoader(UniqueKeyLoader):
    """:class:`UniqueKeyLoader` whose mappings are :class:`LineMap` (for messages with lines)."""


def _construct_line_map(loader: LineLoader, node: yaml.MappingNode, deep=False) -> LineMap:
    loader.check_unique(node)
    loader.flatten_mapping(node)
    out = LineMap()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = value_node.start_mark.line + 1
    return out


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_line_map)


def load_yaml(text: str, source: str = "<yaml>", lines: bool = False):
    """Parse YAML text into plain data.

    Parameters
    ----------
    text : str
    source : str
        File name for messages.
    lines : bool, default=False
        Build mappings as :class:`LineMap` (with ``line`` and ``key_lines``).

    Raises
    ------
    FinshareError
        ``duplicate-key`` or ``bad-yaml``, with the line.
    """
    try:
        return yaml.load(text, Loader=LineLoader if lines else UniqueKeyLoader)  # SafeLoader subclasses
    except DuplicateKeyError as exc:
        raise FinshareError([Problem(
            "duplicate-key", f"键 {exc.key!r} 在第 {exc.first_line} 行和第 {exc.line} 行重复 / "
            f"key {exc.key!r} is written twice (lines {exc.first_line} and {exc.line})",
            Source(source, exc.line, str(exc.key)),
            "keep one of the two; YAML would otherwise silently use the last one")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise FinshareError([Problem(
            "bad-yaml", f"YAML 格式错误 / not valid YAML: {getattr(exc, 'problem', None) or exc}",
            Source(source, mark.line + 1 if mark else None), "check indentation, colons and quotes")]) from None
    except RecursionError:
        raise FinshareError([Problem("bad-yaml", "YAML 嵌套太深 / not valid YAML: nested too deeply",
                                     Source(source), "flatten the structure")]) from None


def read_yaml(path: str | Path, lines: bool = False):
    """Load a YAML file (UTF-8 or GBK/GB18030) with :func:`load_yaml`."""
    return load_yaml(read_text(path), str(path), lines)


__all__ = ["DuplicateKeyError", "UniqueKeyLoader", "LineLoader", "LineMap", "load_yaml", "read_yaml"]
