"""Sphinx configuration of the documentation site (tools/docs/build.py lays out the source)."""

import re

from docutils import nodes

project = "securecloud.monitor"
copyright = "Contributors to the securecloud.monitor project"
title = "securecloud.monitor documentation"
html_short_title = title

extensions = ["sphinx_antsibull_ext", "myst_parser"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"

html_theme = "sphinx_ansible_theme"
html_title = title
html_show_sphinx = False
html_copy_source = False
html_use_modindex = False
html_use_index = False
pygments_style = "ansible"
html_theme_options = {
    "topbar_links": {
        "Repository": "https://github.com/securecloud/monitor",
        "Issues": "https://github.com/securecloud/monitor/issues",
    },
    "show_extranav": False,
    "show_rtd_ethical_ads": False,
}
highlight_language = "YAML+Jinja"

# Broken references fail the build (sphinx-build -W -n).
nitpicky = True
default_role = "any"
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence"]

# The reference pages refer to the Ansible docs and to other collections with
# :ref: labels that intersphinx would resolve from docs.ansible.com. The build
# runs offline, so the labels that can occur are resolved here to their pages;
# any other unresolved reference still fails the build.
ANSIBLE_DOCS = "https://docs.ansible.com/projects/ansible/latest/"
EXTERNAL_LABELS = {
    "common_return_values": "reference_appendices/common_return_values.html",
    "ansible_configuration_settings": "reference_appendices/config.html",
    "action_plugins": "plugins/action.html",
    "callback_plugins": "plugins/callback.html",
    "lookup_plugins": "plugins/lookup.html",
    "module_defaults": "playbook_guide/playbooks_module_defaults.html",
}
COLLECTION_LABEL = re.compile(
    r"^ansible_collections\.([a-z0-9_]+)\.([a-z0-9_]+)\.([a-z0-9_]+)_(module|lookup|callback|role)$"
)


def resolve_external(app, env, node, contnode):
    target = node.get("reftarget", "")
    match = COLLECTION_LABEL.match(target)
    if match and f"{match.group(1)}.{match.group(2)}" != project:
        namespace, name, plugin, kind = match.groups()
        url = f"{ANSIBLE_DOCS}collections/{namespace}/{name}/{plugin}_{kind}.html"
    elif target in EXTERNAL_LABELS:
        url = ANSIBLE_DOCS + EXTERNAL_LABELS[target]
    else:
        return None
    reference = nodes.reference("", "", internal=False, refuri=url)
    reference += contnode if node.get("refexplicit") else nodes.literal(target, target)
    return reference


def setup(app):
    app.connect("missing-reference", resolve_external)
