"""Write the Terraform CLI configuration the project runs with.

Where a local filesystem mirror of providers exists (machines with no route to
the public registry carry one), Terraform installs those providers from it and
everything else from the registry; on an ordinary machine it uses the registry
alone. Either way a shared plugin cache keeps one copy of each provider for all
environments' working directories.

Usage: python tools/terraform_cli_config.py OUTPUT [--cache-dir DIR]
Mirror locations tried, first match wins: $TF_PROVIDER_MIRROR, then
/opt/tf-plugins, /usr/local/share/terraform/plugins, /usr/share/terraform/plugins.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

CANDIDATE_MIRRORS = (
    "/opt/tf-plugins",
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
)


def mirror_candidates() -> list[Path]:
    configured = os.environ.get("TF_PROVIDER_MIRROR")
    paths = [configured] if configured else []
    return [Path(p) for p in [*paths, *CANDIDATE_MIRRORS]]


def providers_in(mirror: Path) -> list[str]:
    """Provider addresses (host/namespace/type) held by an unpacked or packed mirror."""
    found = []
    for host in sorted(p for p in mirror.iterdir() if p.is_dir()):
        for namespace in sorted(p for p in host.iterdir() if p.is_dir()):
            for provider in sorted(p for p in namespace.iterdir() if p.is_dir() or p.suffix == ".zip"):
                name = provider.name.split("_")[0] if provider.suffix == ".zip" else provider.name
                found.append(f"{host.name}/{namespace.name}/{name}")
    return sorted(set(found))


def find_mirror() -> tuple[Path | None, list[str]]:
    for mirror in mirror_candidates():
        if mirror.is_dir():
            providers = providers_in(mirror)
            if providers:
                return mirror, providers
    return None, []


def render(mirror: Path | None, providers: list[str], cache_dir: Path) -> str:
    lines = [
        "# Written by tools/terraform_cli_config.py; do not edit.",
        "disable_checkpoint = true",
        f'plugin_cache_dir = "{cache_dir}"',
    ]
    if mirror is None:
        lines.append("# No local provider mirror found: providers come from the public registry.")
        return "\n".join(lines) + "\n"
    quoted = ", ".join(f'"{p}"' for p in providers)
    lines += [
        f"# Local provider mirror found at {mirror}.",
        "provider_installation {",
        "  filesystem_mirror {",
        f'    path    = "{mirror}"',
        f"    include = [{quoted}]",
        "  }",
        "  direct {",
        f"    exclude = [{quoted}]",
        "  }",
        "}",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", type=Path)
    parser.add_argument("--cache-dir", type=Path, help="plugin cache (default: OUTPUT/../plugin-cache)")
    args = parser.parse_args(argv)
    cache_dir = (args.cache_dir or args.output.parent / "plugin-cache").resolve()
    cache_dir.mkdir(parents=True, exist_ok=True)
    mirror, providers = find_mirror()
    text = render(mirror, providers, cache_dir)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    if not args.output.exists() or args.output.read_text() != text:
        args.output.write_text(text)
    where = f"mirror {mirror} ({', '.join(providers)})" if mirror else "public registry"
    print(f"terraform CLI config {args.output}: providers from {where}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
