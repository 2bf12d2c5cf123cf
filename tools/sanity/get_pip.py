"""Stand-in for the get-pip script ansible-test downloads to put pip into the virtual environments it makes (the
import test's): that host cannot be reached from these machines. Python's own ensurepip installs pip, then pip
installs what ansible-test asked for (its pinned pip among them) from the package index.

ansible-test runs it as `python get_pip.py [pip options] pip==X ... [--no-setuptools] [--no-wheel]`; tools/sanity/run.sh
puts it where ansible-test caches the downloaded script."""

import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in {"--no-setuptools", "--no-wheel"}]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
subprocess.check_call([sys.executable, "-m", "pip", "install", "--disable-pip-version-check", *args])
