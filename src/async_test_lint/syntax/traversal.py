"""A lean depth-first walk over a libcst tree.

`CSTNode.visit` rebuilds every node it passes (it is shared with transformers) and visits every
whitespace and punctuation node; that is most of a walk's cost. Rules read, they never rewrite, and
never look at whitespace, so this walk follows only the fields that hold code, and reads them in
place.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable

import libcst as cst

# Fields that hold only whitespace, comments and punctuation.
_LAYOUT_FIELDS = frozenset(
    {
        "lpar",
        "rpar",
        "comma",
        "semicolon",
        "equal",
        "colon",
        "dot",
        "header",
        "footer",
        "leading_lines",
        "lines_after_decorators",
        "trailing_whitespace",
        "asynchronous",
        "lbracket",
        "rbracket",
        "lbrace",
        "rbrace",
        "star_tok",
        "newline",
        "whitespace",
        "first_colon",
        "second_colon",
        "operator",
        "separator",
        "relative",
        "empty_lines",
        "leading_whitespace",
        "posonly_ind",
        "trailing_comma",
        "comment",
    }
)


@functools.lru_cache(maxsize=None)
def code_fields(node_type: type) -> tuple[str, ...]:
    return tuple(
        field.name
        for field in dataclasses.fields(node_type)
        if field.name not in _LAYOUT_FIELDS and not field.name.startswith("whitespace")
    )


class Visitor:
    """Dispatches to `visit_<NodeType>` (return False to skip the children) and `leave_<NodeType>`."""

    def on_visit(self, node: cst.CSTNode) -> bool:
        method = _handler(type(self), "visit_", type(node))
        return method is None or method(self, node) is not False

    def on_leave(self, node: cst.CSTNode) -> None:
        method = _handler(type(self), "leave_", type(node))
        if method is not None:
            method(self, node)

    def enter_body(self, node: cst.CSTNode) -> None:
        """Called before the walk enters the `body` field of `node`."""

    def leave_body(self, node: cst.CSTNode) -> None:
        """Called after the walk leaves the `body` field of `node`."""


@functools.lru_cache(maxsize=None)
def _handler(visitor_type: type, prefix: str, node_type: type) -> Callable[..., object] | None:
    return getattr(visitor_type, prefix + node_type.__name__, None)


_node_types: dict[type, bool] = {}


def _is_node(value: object) -> bool:
    # isinstance against CSTNode goes through ABCMeta on every call; a dict per type does not.
    value_type = type(value)
    known = _node_types.get(value_type)
    if known is None:
        known = _node_types[value_type] = issubclass(value_type, cst.CSTNode)
    return known


def walk(node: cst.CSTNode, visitor: Visitor) -> None:
    if visitor.on_visit(node):
        for name in code_fields(type(node)):
            value = getattr(node, name)
            in_body = name == "body"
            if in_body:
                visitor.enter_body(node)
            value_type = type(value)
            if value_type is list or value_type is tuple:
                for item in value:
                    if _is_node(item):
                        walk(item, visitor)
            elif _is_node(value):
                walk(value, visitor)
            if in_body:
                visitor.leave_body(node)
    visitor.on_leave(node)
