"""Reading YAML safely while remembering on which line every field was written.

Only plain data is accepted (mappings, lists, strings, numbers, booleans, dates, null): any other
tag, such as ``!!python/object``, is refused with its line number rather than constructed.
Duplicate keys are refused too (PyYAML would silently keep the last one).

Reading is bounded (:mod:`.limits`): the parser's events are walked once before any tree is
built, so a deeply nested document is refused at its first level too many; the composed graph is
then measured (each node once) for the size and depth it would have with every alias expanded,
so a "billion laughs" bomb of a few hundred bytes is refused at the anchor that explodes, in
milliseconds; the tree is built node by node under the same count as a second guard. Merge keys
(``<<``) are expanded here, under that count. Only regular files are read, and never more than the size
limit (``extends: /dev/zero`` is an error, not a hang).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, NodeEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..errors import Problem, ScenarioError
from .limits import Limits, current, over
from .recent import Recent

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
_MERGE = "tag:yaml.org,2002:merge"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: ten times faster


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


class _Builder:
    def __init__(self, name: str, limits: Limits):
        self.name = name
        self.limits = limits
        self.origins: Origins = {}
        self.constructor = SafeConstructor()
        self.count = 0
        self.open: set[int] = set()  # mappings and lists being built: an alias to one is a cycle

    def fail(self, node: Any, reason: str, path: Path_ = ()) -> ScenarioError:
        line = node.start_mark.line + 1 if node is not None else None
        return ScenarioError([Problem(self.name, dotted(tuple(p for p in path if p != "<key>")), reason, line)])

    def build(self, node: Any, path: Path_) -> Any:
        self.count += 1
        if self.count > self.limits.nodes:
            raise self.fail(node, f"more than {self.limits.nodes:,} values once aliases are expanded "
                                  f"{over('nodes', self.limits.nodes)}", path)
        if len(path) > self.limits.depth:
            raise self.fail(node, f"nested deeper than {self.limits.depth} levels once aliases are expanded "
                                  f"{over('depth', self.limits.depth)}", path)
        self.origins[path] = (self.name, node.start_mark.line + 1)
        if isinstance(node, MappingNode | SequenceNode):
            if id(node) in self.open:
                raise self.fail(node, "an alias refers to a mapping or list that contains it", path)
            self.open.add(id(node))
            try:
                return self._mapping(node, path) if isinstance(node, MappingNode) else self._sequence(node, path)
            finally:
                self.open.discard(id(node))
        if node.tag not in _SAFE_SCALARS:
            raise self.fail(node, f"unsafe or unknown YAML tag {_short_tag(node.tag)}", path)
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:  # e.g. 2026-13-45, a 5,000-digit number
            raise self.fail(node, f"bad value: {getattr(exc, 'problem', None) or exc}", path) from None

    def _sequence(self, node: SequenceNode, path: Path_) -> list:
        if node.tag != "tag:yaml.org,2002:seq":
            raise self.fail(node, f"unsafe or unknown YAML tag {_short_tag(node.tag)}", path)
        return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]

    def _mapping(self, node: MappingNode, path: Path_) -> dict:
        if node.tag != "tag:yaml.org,2002:map":
            raise self.fail(node, f"unsafe or unknown YAML tag {_short_tag(node.tag)}", path)
        out: dict[str, Any] = {}
        own = [(k, v) for k, v in node.value if k.tag != _MERGE]
        for key_node, value_node in node.value:  # merge keys first: the mapping's own keys win
            if key_node.tag == _MERGE:
                for key, value in self._merged(value_node, path).items():
                    out.setdefault(key, value)
                self.origins[path] = (self.name, node.start_mark.line + 1)
        merged = set(out)
        for key_node, value_node in own:
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, "mapping keys must be plain text", path)
            key = self.build(key_node, (*path, "<key>"))
            if not isinstance(key, str | int) or isinstance(key, bool):
                raise self.fail(key_node, f"mapping key {key!r} must be text", path)
            key = str(key)
            if key in out and key not in merged:
                raise self.fail(key_node, f"duplicate key {key!r}", (*path, key))
            merged.discard(key)
            out[key] = self.build(value_node, (*path, key))
            self.origins[(*path, key)] = (self.name, key_node.start_mark.line + 1)  # the key's own line
        self.origins.pop((*path, "<key>"), None)
        return out

    def _merged(self, node: Any, path: Path_) -> dict:
        """The mapping(s) named by a merge key ``<<``; the first one listed wins."""
        sources = node.value if isinstance(node, SequenceNode) else [node]
        out: dict = {}
        for source in sources:
            if not isinstance(source, MappingNode):
                raise self.fail(source, "a merge key (<<) takes a mapping or a list of mappings", path)
            for key, value in self.build(source, path).items():
                out.setdefault(key, value)
        return out


def _scan(text: str, name: str, limits: Limits) -> None:
    """Walk the parser's events (a loop, no recursion) and refuse a document that is nested too
    deeply, has too many values or too many aliases, before a tree is built."""
    depth = nodes = aliases = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if not isinstance(event, NodeEvent | CollectionEndEvent):
            continue
        line = event.start_mark.line + 1
        if isinstance(event, CollectionEndEvent):
            depth -= 1
            continue
        nodes += 1
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > limits.depth:
                reason = f"nested deeper than {limits.depth} levels {over('depth', limits.depth)}"
                raise ScenarioError([Problem(name, "", reason, line)])
        elif isinstance(event, AliasEvent):
            aliases += 1
            if aliases > limits.aliases:
                reason = f"more than {limits.aliases} aliases (*name) {over('aliases', limits.aliases)}"
                raise ScenarioError([Problem(name, "", reason, line)])
        if nodes > limits.nodes:
            reason = f"more than {limits.nodes:,} values {over('nodes', limits.nodes)}"
            raise ScenarioError([Problem(name, "", reason, line)])


def dotted(path: Path_) -> str:
    """``('stages', 'aa', 'routes', 0, 'p')`` -> ``stages.aa.routes[0].p``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _measure(root: Any, name: str, limits: Limits) -> None:
    """Size and depth of the tree the composed graph would expand to, each node measured once
    (a loop, no recursion): a bomb is refused at the anchor that explodes, before building."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(root, False)]
    open_: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in size:
            continue
        kids = ([] if isinstance(node, ScalarNode) else
                [n for pair in node.value for n in pair] if isinstance(node, MappingNode) else node.value)
        if not done:
            if key in open_:
                raise ScenarioError([Problem(name, "", "an alias refers to a mapping or list that contains it",
                                             node.start_mark.line + 1)])
            open_.add(key)
            stack.append((node, True))
            stack += [(k, False) for k in kids if id(k) not in size]
            continue
        open_.discard(key)
        size[key] = 1 + sum(size[id(k)] for k in kids)
        depth[key] = (1 + max((depth[id(k)] for k in kids), default=0)) if kids else 0
        line = node.start_mark.line + 1
        if size[key] > limits.nodes:
            reason = f"more than {limits.nodes:,} values once aliases are expanded {over('nodes', limits.nodes)}"
            raise ScenarioError([Problem(name, "", reason, line)])
        if depth[key] > limits.depth:
            reason = f"nested deeper than {limits.depth} levels once aliases are expanded {over('depth', limits.depth)}"
            raise ScenarioError([Problem(name, "", reason, line)])


_KEEP_PARSED = 16  # files; each at most the size limit, so the cache is bounded too
_PARSED: Recent[tuple[dict[str, Any], Origins]] = Recent(_KEEP_PARSED)


def parse_text(text: str, name: str, limits: Limits | None = None) -> tuple[dict[str, Any], Origins]:
    """Parse one YAML document into plain data and the line of every field (within ``limits``).

    The last few files parsed are kept (by name, limits and the whole text): the shipped
    scenarios extend each other, so loading one parses its parents again, and parsing is most
    of a load. A caller gets its own copy to change."""
    limits = limits or current()
    key = (name, repr(limits), text)
    found = _PARSED.take(key) or _parse(text, name, limits)
    _PARSED.put(key, found)
    return _copy(found[0]), dict(found[1])


def _copy(data: Any) -> Any:
    """A copy of parsed data: its mappings and lists new, its values (text, numbers, dates) shared."""
    if isinstance(data, dict):
        return {k: _copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_copy(v) for v in data]
    return data


def _parse(text: str, name: str, limits: Limits) -> tuple[dict[str, Any], Origins]:
    if len(text) > limits.bytes and len(text.encode("utf-8")) > limits.bytes:
        size = len(text.encode("utf-8"))
        raise ScenarioError([Problem(name, "", f"file too large ({size:,} bytes) {over('bytes', limits.bytes)}")])
    try:
        _scan(text, name, limits)
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "syntax error"
        raise ScenarioError([Problem(name, "", f"not valid YAML: {reason}", line)]) from None
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ScenarioError([Problem(name, "", f"not valid YAML: {first}")]) from None
    if node is None:
        raise ScenarioError([Problem(name, "", "the file is empty; a scenario is a YAML mapping")])
    _measure(node, name, limits)
    builder = _Builder(name, limits)
    data = builder.build(node, ())
    if not isinstance(data, dict):
        raise ScenarioError(
            [Problem(name, "", "a scenario must be a YAML mapping of fields, not a list or value", 1)]
        )
    return data, builder.origins


def read_file(path: Path, name: str, limits: Limits | None = None) -> str:
    """Read a scenario file as UTF-8 text, with one-line errors for every way that can fail.

    Only a regular file is read (not a device, pipe or folder), and at most the size limit.
    """
    limit = (limits or current()).bytes
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not block the open
        with os.fdopen(fd, "rb") as f:
            info = os.fstat(f.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError
            if not stat.S_ISREG(info.st_mode):
                raise ScenarioError([Problem(name, "", "not a regular file (a device, pipe or socket)")])
            data = f.read(min(limit, info.st_size) + 1)  # a buffer of the file's size, not of a raised limit
        if len(data) > limit:
            size = max(len(data), os.stat(path).st_size)
            raise ScenarioError([Problem(name, "", f"file too large ({size:,} bytes) {over('bytes', limit)}")])
        return data.decode("utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem(name, "", "file not found")]) from None
    except IsADirectoryError:
        raise ScenarioError([Problem(name, "", "is a directory, not a scenario file")]) from None
    except PermissionError:
        raise ScenarioError([Problem(name, "", "cannot read file: permission denied")]) from None
    except UnicodeDecodeError:
        raise ScenarioError([Problem(name, "", "not a text file (expected UTF-8 YAML)")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(name, "", f"cannot read file: {exc.strerror or exc}")]) from None
