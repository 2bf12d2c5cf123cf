"""Render the diagrams of every environment model in a directory.

    python -m tools.diagrams MODEL_DIR DEST_DIR [--copy-to DIR --environment ENV]

writes DEST_DIR/<environment>/{network,services,security,observability}.{png,svg};
--copy-to also copies one environment's PNGs there (the README's images).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from tools.diagrams.render import DIAGRAMS, render


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.diagrams", description=__doc__.splitlines()[0])
    parser.add_argument("model_dir", type=Path, help="directory of <environment>.json models")
    parser.add_argument("dest_dir", type=Path, help="where to write <environment>/<diagram>.png and .svg")
    parser.add_argument("--copy-to", type=Path, help="also copy one environment's PNGs here")
    parser.add_argument("--environment", help="the environment whose PNGs --copy-to takes (default: the first)")
    args = parser.parse_args(argv)

    models = sorted(args.model_dir.glob("*.json"))
    if not models:
        print(
            f"no environment model in {args.model_dir}: run playbooks/architecture_model.yml first "
            "(make diagrams does)",
            file=sys.stderr,
        )
        return 2
    rendered = {}
    for path in models:
        model = json.loads(path.read_text())
        files = render(model, args.dest_dir / path.stem)
        rendered[path.stem] = args.dest_dir / path.stem
        print(f"{path.stem}: {', '.join(f.name for f in files)}")
    if args.copy_to:
        source = rendered.get(args.environment or models[0].stem)
        if source is None:
            print(f"no model for environment {args.environment} in {args.model_dir}", file=sys.stderr)
            return 2
        args.copy_to.mkdir(parents=True, exist_ok=True)
        for name in DIAGRAMS:
            shutil.copyfile(source / f"{name}.png", args.copy_to / f"{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
