"""Build the documentation site into docs/_build/html.

Steps, each failing the build on its own errors:
1. lint the collection's docs with antsibull-docs (markup, references, schema);
2. check that every module and plugin documents EXAMPLES;
3. generate the module and role reference (reStructuredText) with antsibull-docs;
4. lay out the guides and runbooks from docs/ beside it: links that leave docs/
   point at the file in the repository (which must exist), the diagram markers
   show the rendered diagrams, and a page shows every environment's diagrams;
5. run Sphinx (myst-parser for the Markdown) with warnings as errors, so a
   broken cross-reference or a missing image fails the build.

    python -m tools.docs.build [--diagrams DIR] [--skip-lint]
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
COLLECTION = "securecloud.monitor"
DIAGRAM_NAMES = ("network", "services", "security", "observability")
# A page shows a diagram with the README's committed image (images/<name>.png, `make readme-diagrams`);
# the site shows the one just rendered instead. <!-- diagrams: NAME --> works too.
DIAGRAM_MARKER = re.compile(r"<!--\s*diagrams:\s*([a-z]+)\s*-->")
DIAGRAM_IMAGE = re.compile(r"!\[([^\]]*)\]\(images/([a-z]+)\.png\)")
MARKDOWN_LINK = re.compile(r"\]\((?!https?:|mailto:|#)([^)\s]+)\)")
PLUGIN_DIRS = ("modules", "lookup", "filter", "inventory")  # callbacks are configured, not called: no EXAMPLES


class BuildError(Exception):
    pass


def collection_dir() -> Path:
    """The checkout as ansible_collections/securecloud/monitor (the committed link under .collections)."""
    for base in os.environ.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep):
        candidate = Path(base) / "ansible_collections" / "securecloud" / "monitor"
        if base and candidate.resolve() == ROOT:
            return candidate
    raise BuildError(
        "securecloud.monitor is not on ANSIBLE_COLLECTIONS_PATH: run `make docs` "
        "(or export ANSIBLE_COLLECTIONS_PATH=$PWD/.collections)"
    )


def run(command: list[str], **kwargs) -> None:
    print("+ " + " ".join(command), flush=True)
    result = subprocess.run(command, **kwargs)
    if result.returncode != 0:
        raise BuildError(f"{command[0]} {command[1]} failed (exit {result.returncode})")


def lint() -> None:
    """References to this collection and the ones it depends on are validated. antsibull-docs copies the
    dependencies with `git ls-files` when git finds a repository around them, which is this checkout when the
    virtualenv lives in it (.venv, ignored): git must not look above site-packages."""
    env = dict(os.environ, GIT_CEILING_DIRECTORIES=sysconfig.get_paths()["purelib"])
    command = ["antsibull-docs", "lint-collection-docs", "--plugin-docs", "--validate-collection-refs", "dependent"]
    run([*command, str(collection_dir())], env=env)


def plugins_without_examples(root: Path = ROOT) -> list[str]:
    """Modules and callable plugins whose EXAMPLES is missing or blank."""
    missing = []
    for kind in PLUGIN_DIRS:
        for path in sorted((root / "plugins" / kind).glob("*.py")):
            if path.name == "__init__.py":
                continue
            documented_apart = not _string_constant(path, "DOCUMENTATION").strip()
            if not documented_apart and not _string_constant(path, "EXAMPLES").strip():
                missing.append(str(path.relative_to(root)))
        # A file of several filters documents each in a YAML file of its own, EXAMPLES included.
        for path in sorted((root / "plugins" / kind).glob("*.yml")):
            if not str((yaml.safe_load(path.read_text()) or {}).get("EXAMPLES") or "").strip():
                missing.append(str(path.relative_to(root)))
    return missing


def _string_constant(path: Path, name: str) -> str:
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            value = node.value
            return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else ""
    return ""


def reference(source: Path) -> None:
    """Writes source/collections/ (antsibull-docs wants its destination writable by itself only)."""
    source.mkdir(parents=True)
    source.chmod(0o755)
    run(["antsibull-docs", "collection", "--use-current", "--dest-dir", str(source), COLLECTION])


def repository_url() -> str:
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    return galaxy["repository"].rstrip("/") + "/blob/main/"


def rewrite_links(page: Path, text: str, repo_url: str) -> str:
    """Links that leave docs/ go to the repository; a link to a file that does not exist fails."""

    def fix(match: re.Match) -> str:
        target = match.group(1)
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve()
        if not resolved.exists():
            raise BuildError(f"{page.relative_to(ROOT)}: broken link to {target}")
        if DOCS in resolved.parents or resolved == DOCS:
            return match.group(0)
        url = repo_url + str(resolved.relative_to(ROOT)) + (f"#{anchor}" if anchor else "")
        return f"]({url})"

    return MARKDOWN_LINK.sub(fix, text)


def place_diagrams(text: str, page_depth: int, environment: str | None) -> str:
    def rendered(name: str, source: str) -> str:
        if name not in DIAGRAM_NAMES:
            raise BuildError(f"unknown diagram {source} (known: {', '.join(DIAGRAM_NAMES)})")
        if environment is None:
            raise BuildError("the guides show diagrams but none were rendered: run `make diagrams` first")
        prefix = "../" * page_depth
        return f"![{name} diagram of {environment}]({prefix}diagrams/{environment}/{name}.svg)"

    text = DIAGRAM_MARKER.sub(lambda m: rendered(m.group(1), m.group(0)), text)
    return DIAGRAM_IMAGE.sub(lambda m: rendered(m.group(2), m.group(0)), text)


def guides(source: Path, diagrams: Path | None) -> list[str]:
    """Copy docs/ (Markdown, JSON, images) into the Sphinx source; returns the page names."""
    environments = sorted(p.name for p in diagrams.iterdir() if p.is_dir()) if diagrams and diagrams.exists() else []
    for environment in environments:
        for name in DIAGRAM_NAMES:
            for suffix in (".svg", ".png"):
                if not (diagrams / environment / f"{name}{suffix}").is_file():
                    raise BuildError(f"diagram {name}{suffix} of {environment} did not render")
        shutil.copytree(diagrams / environment, source / "diagrams" / environment)
    first = environments[0] if environments else None
    repo_url = repository_url()
    pages = []
    for path in sorted(DOCS.rglob("*")):
        relative = path.relative_to(DOCS)
        if relative.parts[0].startswith("_") or path.is_dir():
            continue
        target = source / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            text = rewrite_links(path, path.read_text(), repo_url)
            target.write_text(place_diagrams(text, len(relative.parts) - 1, first))
            pages.append(str(relative.with_suffix("")))
        else:
            shutil.copyfile(path, target)
    if environments:
        (source / "diagrams.md").write_text(diagrams_page(environments))
        pages.append("diagrams")
    return pages


def diagrams_page(environments: list[str]) -> str:
    lines = [
        "# Architecture diagrams",
        "",
        "Rendered by `make diagrams` from each environment's Terraform outputs, its deployed network "
        "(the reachability the compliance run computes) and the inventory; never drawn by hand.",
        "",
    ]
    for environment in environments:
        lines += [f"## {environment}", ""]
        for name in DIAGRAM_NAMES:
            image = f"![{name} diagram of {environment}](diagrams/{environment}/{name}.svg)"
            lines += [f"### {environment}: {name}", "", image, ""]
    return "\n".join(lines)


# The site's navigation: the guides in reading order, then any other page, then the reference.
READING_ORDER = [
    "quickstart",
    "architecture",
    "base-layer",
    "security-layer",
    "observability-layer",
    "delivery-layer",
    "compliance",
    "compliance-report",
    "security-architecture",
    "real-aws",
    "diagrams",
    "runbooks/index",
]


def toctrees(source: Path, pages: list[str]) -> None:
    """The landing page lists the top-level pages; a folder's index lists the folder's pages."""
    index = source / "index.md"
    if not index.exists():
        raise BuildError("docs/index.md is missing: it is the site's landing page")
    top = [p for p in pages if "/" not in p or p.endswith("/index")]
    ordered = [p for p in READING_ORDER if p in top] + sorted(set(top) - set(READING_ORDER) - {"index"})
    _append_toctree(index, [*ordered, "collections/index"])
    for folder_index in (p for p in top if p.endswith("/index")):
        folder = folder_index.removesuffix("index")
        children = sorted(p.removeprefix(folder) for p in pages if p.startswith(folder) and p != folder_index)
        _append_toctree(source / f"{folder_index}.md", children)


def _append_toctree(page: Path, entries: list[str]) -> None:
    toctree = "\n".join(["", "```{toctree}", ":hidden:", ":maxdepth: 2", "", *entries, "```", ""])
    page.write_text(page.read_text() + toctree)


def sphinx(source: Path, html: Path) -> None:
    run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-W",
            "--keep-going",
            "-n",
            "-q",
            "-c",
            str(Path(__file__).parent),
            str(source),
            str(html),
        ]
    )


def build(diagrams: Path | None, skip_lint: bool) -> Path:
    if not skip_lint:
        lint()
    missing = plugins_without_examples()
    if missing:
        raise BuildError("plugins without EXAMPLES: " + ", ".join(missing))
    source, html = BUILD / "src", BUILD / "html"
    shutil.rmtree(source, ignore_errors=True)
    shutil.rmtree(html, ignore_errors=True)
    reference(source)
    toctrees(source, guides(source, diagrams))
    sphinx(source, html)
    return html


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.docs.build", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--diagrams",
        type=Path,
        default=BUILD / "diagrams",
        help="rendered diagrams, one directory per environment (make diagrams)",
    )
    parser.add_argument("--skip-lint", action="store_true", help="skip antsibull-docs lint-collection-docs")
    args = parser.parse_args(argv)
    try:
        html = build(args.diagrams, args.skip_lint)
    except BuildError as error:
        print(f"make docs: {error}", file=sys.stderr)
        return 1
    print(f"site: {html / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
