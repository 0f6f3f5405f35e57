"""Read YAML safely, keeping the line of every key and item, and catching duplicate keys.

PyYAML silently keeps the last of two equal keys; an editor who pasted a park twice would lose data without a
word. This loader is a SafeLoader (no arbitrary objects) that records lines and reports every repeated key.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from .problems import Problem


class LineDict(dict):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict


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


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode, deep: bool = False) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in out.key_lines:
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


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_yaml(text: str, file: str) -> tuple[object | None, list[Problem]]:
    """Parse YAML text. Returns (data, problems); data is None when the text is not valid YAML."""
    loader = _LineLoader(text)
    loader.pm_state = _State(file)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        return None, [Problem.of("yaml-syntax", file, line, column=column, detail=str(exc.problem or exc).strip())]
    except yaml.YAMLError as exc:
        return None, [Problem.of("yaml-syntax", file, None, detail=str(exc).strip())]
    finally:
        loader.dispose()
    return data, loader.pm_state.problems


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
