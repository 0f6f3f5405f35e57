"""Read YAML safely, keeping the line of every key and item, and catching duplicate keys.

PyYAML silently keeps the last of two equal keys; an editor who pasted a park twice would lose data without a
word. This loader is a SafeLoader (no arbitrary objects) that records lines and reports every repeated key.
Before anything is constructed, the event stream is scanned (PyYAML's parser is iterative, its composer is not):
nesting deeper than MAX_DEPTH and aliases that would expand to more than MAX_ALIAS_NODES extra nodes (a
"billion laughs" bomb) are refused with a located problem, before they can exhaust the stack or memory.
"""
from __future__ import annotations

import contextlib
import gc
from dataclasses import dataclass, field

import yaml

from .problems import Problem


MAX_DEPTH = 32            # nesting levels; the data files need 4
MAX_ALIAS_NODES = 10_000  # nodes that aliases may add when expanded; the data files use none


class LineDict(dict):
    """A mapping that remembers its own line, the line of each key (1-based) and the keys it saw twice."""

    line: int = 0
    key_lines: dict
    duplicate_lines: list


class LineList(list):
    """A sequence that remembers its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list


@dataclass
class _State:
    file: str
    problems: list[Problem] = field(default_factory=list)


class _LineLoader(yaml.SafeLoader):
    pm_state: _State


# libyaml's parser (when PyYAML has it) reads the same documents ~25× faster. Its error messages and limits differ
# from the pure-Python parser's, so it is only trusted with documents it reads without an error: on any error the
# pure-Python parser reads the text again and reports exactly what it always did.
_FAST = getattr(yaml, "CSafeLoader", None)


class _FastLineLoader(_FAST or yaml.SafeLoader):  # type: ignore[misc,valid-type]
    pm_state: _State


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    out.duplicate_lines = []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in out.key_lines:
            out.duplicate_lines.append(line)
            loader.pm_state.problems.append(Problem.of(
                "duplicate-key", loader.pm_state.file, line, column=key_node.start_mark.column + 1, field=str(key),
                detail=f"first at line {out.key_lines[key]}"))
        out.key_lines[key] = line
        out[key] = loader.construct_object(value_node, deep=True)
    return out


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode, deep: bool = False) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _syntax_problem(exc: yaml.YAMLError, file: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    detail = str(getattr(exc, "problem", None) or exc).strip()
    if mark is None:
        return Problem.of("yaml-syntax", file, None, detail=detail)
    return Problem.of("yaml-syntax", file, mark.line + 1, column=mark.column + 1, detail=detail)


def scan(text: str, file: str) -> Problem | None:
    """Refuse, from the event stream alone, what would be dangerous to construct: too deep, or alias bombs."""
    if _FAST is not None:
        try:
            return _scan(text, file, _FAST)
        except yaml.YAMLError:
            pass  # the pure-Python parser reports it, as it always did
    try:
        return _scan(text, file, yaml.SafeLoader)
    except yaml.YAMLError as exc:
        return _syntax_problem(exc, file)


def _scan(text: str, file: str, loader: type) -> Problem | None:
    depth = 0
    anchor_sizes: dict[str, int] = {}
    frames: list[list] = [[None, 0]]  # [anchor, expanded node count] of each open collection
    extra = 0  # nodes that aliases add
    for event in yaml.parse(text, Loader=loader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return Problem.of("yaml-too-deep", file, line, detail=f"more than {MAX_DEPTH} levels")
            frames.append([event.anchor, 1])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            anchor, size = frames.pop()
            if anchor is not None:
                anchor_sizes[anchor] = size
            frames[-1][1] += size
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                anchor_sizes[event.anchor] = 1
            frames[-1][1] += 1
        elif isinstance(event, yaml.AliasEvent):
            size = anchor_sizes.get(event.anchor, 1)
            extra += size - 1
            frames[-1][1] += size
            if extra > MAX_ALIAS_NODES:
                return Problem.of("yaml-alias-limit", file, line, column=event.start_mark.column + 1,
                                  field=f"*{event.anchor}", detail=f"aliases expand to over {MAX_ALIAS_NODES:,} nodes")
    return None


def read_yaml(text: str, file: str) -> tuple[object | None, list[Problem]]:
    """Parse YAML text. Returns (data, problems); data is None when the text cannot be used as a whole:
    invalid YAML, too deep, an alias bomb, or no content (only comments)."""
    refused = scan(text, file)
    if refused is not None:
        return None, [refused]
    with _no_cycle_collection():
        if _FAST is not None:
            try:
                return _read(text, file, _FastLineLoader)
            except (yaml.YAMLError, RecursionError):
                pass  # the pure-Python parser reports it, as it always did
        return _read(text, file, _LineLoader)


@contextlib.contextmanager
def _no_cycle_collection():
    """Building a few hundred thousand nodes (a national parks.yaml) set off the cycle collector again and again,
    each pass walking every object built so far: 3.1 s instead of 1.2 s for 3,000 parks. Nothing built here is
    cyclic garbage; reference counting still frees memory as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read(text: str, file: str, loader_class: type) -> tuple[object | None, list[Problem]]:
    if loader_class is _FastLineLoader:  # any error is raised to the caller, who reads again in pure Python
        loader = loader_class(text)
        loader.pm_state = _State(file)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
        return _finish(data, loader, file)
    loader = loader_class(text)
    loader.pm_state = _State(file)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        return None, [_syntax_problem(exc, file)]
    except RecursionError:  # scan() bounds the depth; this is a last guard
        return None, [Problem.of("yaml-too-deep", file, None)]
    finally:
        loader.dispose()
    return _finish(data, loader, file)


def _finish(data: object, loader, file: str) -> tuple[object | None, list[Problem]]:
    if data is None:
        return None, [Problem.of("empty-file", file, 1, detail="only comments or blank lines")]
    problems = loader.pm_state.problems
    if isinstance(data, LineDict) and data.duplicate_lines:
        # A repeated top-level key (two `parks:`) hides a whole section: the file as a whole cannot be trusted.
        problems = [Problem.of("duplicate-section", p.file, p.line, column=p.column, field=p.field, detail=p.detail)
                    if p.code == "duplicate-key" and p.line in data.duplicate_lines else p for p in problems]
    return data, problems


def has_duplicate_keys(node: object) -> bool:
    """Does this record, or anything nested in it, repeat a key? Such a record is blocked: YAML kept one value."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, LineDict):
            if item.duplicate_lines:
                return True
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def line_of(container: object, loc: tuple) -> int | None:
    """The line of the deepest key or item along `loc` that the document records."""
    line = getattr(container, "line", None)
    node = container
    for part in loc:
        if isinstance(node, LineDict) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line
