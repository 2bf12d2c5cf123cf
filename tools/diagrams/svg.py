"""Read back what a rendered diagram shows: its nodes' labels and its edges."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Edge:
    source: tuple[str, ...]  # the label lines of the node it leaves
    target: tuple[str, ...]
    label: str
    color: str
    dashed: bool


def _texts(group) -> tuple[str, ...]:
    return tuple(t.text or "" for t in group.iter(f"{SVG}text"))


def _groups(root, kind: str):
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == kind]


def read(path: Path) -> tuple[dict[str, tuple[str, ...]], list[Edge]]:
    """The nodes (graphviz id -> label lines) and the edges of an SVG written by Graphviz."""
    root = ElementTree.parse(path).getroot()
    nodes = {g.find(f"{SVG}title").text: _texts(g) for g in _groups(root, "node")}
    edges = []
    for group in _groups(root, "edge"):
        source, _, target = group.find(f"{SVG}title").text.partition("->")
        line = group.find(f"{SVG}path")
        edges.append(
            Edge(
                nodes.get(source, ()),
                nodes.get(target, ()),
                " ".join(_texts(group)),
                line.get("stroke", ""),
                line.get("stroke-dasharray") is not None,
            )
        )
    return nodes, edges


def labels(path: Path) -> set[str]:
    """Every label line of every node."""
    nodes, _ = read(path)
    return {line for lines in nodes.values() for line in lines}


def texts(path: Path) -> set[str]:
    """Every line of text in the diagram: node and cluster labels, edge labels, the title."""
    return {t.text or "" for t in ElementTree.parse(path).getroot().iter(f"{SVG}text")}
