"""Reading YAML safely while remembering on which line every field was written.

Only plain data is accepted (mappings, lists, strings, numbers, booleans, dates, null): any other
tag, such as ``!!python/object``, is refused with its line number rather than constructed.
Duplicate keys are refused too (PyYAML would silently keep the last one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..errors import Problem, ScenarioError

Path_ = tuple[str | int, ...]
Origins = dict[Path_, tuple[str, int]]

_SAFE_SCALARS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
MAX_BYTES = 2_000_000


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


class _Builder:
    def __init__(self, name: str):
        self.name = name
        self.origins: Origins = {}
        self.constructor = SafeConstructor()

    def fail(self, node: Any, reason: str, path: Path_ = ()) -> ScenarioError:
        line = node.start_mark.line + 1 if node is not None else None
        return ScenarioError([Problem(self.name, dotted(path), reason, line)])

    def build(self, node: Any, path: Path_) -> Any:
        self.origins[path] = (self.name, node.start_mark.line + 1)
        if isinstance(node, MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                raise self.fail(node, f"unsafe or unknown YAML tag {_short_tag(node.tag)}", path)
            self.constructor.flatten_mapping(node)
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise self.fail(key_node, "mapping keys must be plain text", path)
                key = self.build(key_node, (*path, "<key>"))
                if not isinstance(key, str | int) or isinstance(key, bool):
                    raise self.fail(key_node, f"mapping key {key!r} must be text", path)
                key = str(key)
                if key in out:
                    raise self.fail(key_node, f"duplicate key {key!r}", (*path, key))
                out[key] = self.build(value_node, (*path, key))
                self.origins[(*path, key)] = (self.name, key_node.start_mark.line + 1)  # the key's own line
            self.origins.pop((*path, "<key>"), None)
            return out
        if isinstance(node, SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self.fail(node, f"unsafe or unknown YAML tag {_short_tag(node.tag)}", path)
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if node.tag not in _SAFE_SCALARS:
            raise self.fail(node, f"unsafe or unknown YAML tag {_short_tag(node.tag)}", path)
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise self.fail(node, f"bad value: {getattr(exc, 'problem', exc)}", path) from None


def dotted(path: Path_) -> str:
    """``('stages', 'aa', 'routes', 0, 'p')`` -> ``stages.aa.routes[0].p``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def parse_text(text: str, name: str) -> tuple[dict[str, Any], Origins]:
    """Parse one YAML document into plain data and the line of every field."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "syntax error"
        raise ScenarioError([Problem(name, "", f"not valid YAML: {reason}", line)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(name, "", f"not valid YAML: {exc}")]) from None
    if node is None:
        raise ScenarioError([Problem(name, "", "the file is empty; a scenario is a YAML mapping")])
    builder = _Builder(name)
    data = builder.build(node, ())
    if not isinstance(data, dict):
        raise ScenarioError(
            [Problem(name, "", "a scenario must be a YAML mapping of fields, not a list or value", 1)]
        )
    return data, builder.origins


def read_file(path: Path, name: str) -> str:
    """Read a scenario file as UTF-8 text, with one-line errors for every way that can fail."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ScenarioError([Problem(name, "", f"file too large ({size:,} bytes)")])
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem(name, "", "file not found")]) from None
    except IsADirectoryError:
        raise ScenarioError([Problem(name, "", "is a directory, not a scenario file")]) from None
    except PermissionError:
        raise ScenarioError([Problem(name, "", "cannot read file: permission denied")]) from None
    except UnicodeDecodeError:
        raise ScenarioError([Problem(name, "", "not a text file (expected UTF-8 YAML)")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(name, "", f"cannot read file: {exc.strerror}")]) from None
