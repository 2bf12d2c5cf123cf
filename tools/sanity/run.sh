#!/usr/bin/env bash
# ansible-test sanity on this collection, locally (no containers), with one ansible-core and one Python:
#   tools/sanity/run.sh 2.19.14 python3.11 [ansible-test sanity options...]
# ansible-test needs the collection at ansible_collections/securecloud/monitor with its dependency collections in the
# same tree: the tracked files are copied to .work/sanity/<core>/ansible_collections/securecloud/monitor and the
# dependencies from the `ansible` package of .venv. ansible-core and the sanity tools' pinned requirements go into a
# virtualenv of that version (.work/sanity/<core>/venv). ansible-test's pip bootstrap downloads a get-pip script from a
# host that cannot be reached here: tools/sanity/get_pip.py takes its place in ansible-test's cache (HOME is ours).
set -euo pipefail

# The interpreter by name: on PATH when it runs there, else the newest of pyenv's versions that has it (a pyenv shim
# answers "command not found" for a version that is installed but not selected, as in CI's environment).
resolve_python() {
  local name="$1" candidate
  if "$name" -c 'import sys' >/dev/null 2>&1; then
    command -v "$name"
    return
  fi
  for candidate in $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/*/bin/"$name" 2>/dev/null | sort -V -r); do
    if "$candidate" -c 'import sys' >/dev/null 2>&1; then
      echo "$candidate"
      return
    fi
  done
  echo "tools/sanity/run.sh: no $name on PATH nor in pyenv's versions" >&2
  return 1
}

core="$1"; python="$(resolve_python "$2")"; shift 2
repo="$(cd "$(dirname "$0")/../.." && pwd)"
root="$repo/.work/sanity/$core"
venv="$root/venv"
tree="$root/ansible_collections"
if [ ! -x "$venv/bin/ansible-test" ]; then
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "ansible-core==$core"
fi
# The pinned pip of the bootstrap, whatever version ansible-test asks for.
home="$root/home"
for version in $("$venv/bin/python" - <<'PY'
import glob, os, re
import ansible_test
base = os.path.join(os.path.dirname(ansible_test.__file__), "_data", "requirements")
found = set()
for path in glob.glob(os.path.join(base, "*.txt")):
    found.update(re.findall(r"^pip\s*==\s*([0-9.]+)", open(path).read(), re.M))
# ansible-core 2.20+ names the bootstrap's pip in python_requirements.get_venv_packages
source = open(os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")).read()
found.update(re.findall(r"""pip\s*=\s*['"]([0-9.]+)['"]""", source))
found.add("24.2")
print(" ".join(sorted(found)))
PY
); do
  mkdir -p "$home/.ansible/test/cache"
  cp "$repo/tools/sanity/get_pip.py" "$home/.ansible/test/cache/get_pip_${version//./_}.py"
done
rm -rf "$tree/securecloud"
mkdir -p "$tree/securecloud/monitor"
(cd "$repo" && git ls-files -z --cached --others --exclude-standard | grep -zv '^\.collections/' \
  | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
  | xargs -0 cp --parents -P -t "$tree/securecloud/monitor")
cd "$repo"
"$repo/.venv/bin/python" - "$tree" <<'PY'
import shutil, sys
from pathlib import Path
import yaml
sys.path.insert(0, ".")
from tools.harness.ee import _copy_dependencies, _installed_collections_root
tree = Path(sys.argv[1])
deps = yaml.safe_load(Path("galaxy.yml").read_text())["dependencies"]
for namespace in tree.iterdir():
    if namespace.name != "securecloud":
        shutil.rmtree(namespace)
_copy_dependencies(deps, _installed_collections_root(), tree, {"securecloud.monitor"})
PY
cd "$tree/securecloud/monitor"
# A repository of its own: ansible-test lists a collection's files with git, and the checkout's repository ignores .work.
git init --quiet . && git add --all
HOME="$home" PATH="$venv/bin:$PATH" "$venv/bin/ansible-test" sanity --local --requirements --color no \
  --python "$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" "$@"
