"""Rows of a benchmark and the table they print as."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Row:
    run: str
    seconds: float
    changed: int | None = None
    calls: int | None = None
    mutating: int | None = None
    read: int | None = None
    note: str = ""


@dataclass
class Target:
    name: str
    measured: float
    limit: float
    higher_is_worse: bool = True
    shown: str = field(default="")

    @property
    def met(self) -> bool:
        return self.measured <= self.limit if self.higher_is_worse else self.measured >= self.limit


def _cell(value) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def render(title: str, rows: list[Row], targets: list[Target]) -> str:
    header = ["run", "wall s", "changed", "API calls", "mutating", "read", "note"]
    body = [
        [r.run, _cell(r.seconds), _cell(r.changed), _cell(r.calls), _cell(r.mutating), _cell(r.read), r.note]
        for r in rows
    ]
    widths = [max(len(str(line[i])) for line in [header, *body]) for i in range(len(header))]
    lines = [f"## {title}", ""]
    for line in [header, ["-" * w for w in widths], *body]:
        lines.append("| " + " | ".join(str(cell).ljust(w) for cell, w in zip(line, widths, strict=True)) + " |")
    if targets:
        lines += ["", "| target | measured | limit | met |", "| --- | --- | --- | --- |"]
        for t in targets:
            sign = "<=" if t.higher_is_worse else ">="
            lines.append(
                f"| {t.name} | {t.shown or _cell(t.measured)} | {sign} {_cell(t.limit)} | {'yes' if t.met else 'NO'} |"
            )
    return "\n".join(lines)
