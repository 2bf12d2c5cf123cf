"""The docs build fails on what the issue names: broken references, a module without
examples, a diagram that did not render; and it lays the guides out correctly."""

from __future__ import annotations

import pytest

from tools.docs import build


def test_links_that_leave_docs_point_at_the_repository(tmp_path, monkeypatch):
    page = build.DOCS / "base-layer.md"
    text = "see [the stack](../terraform/README.md#x-ray) and [layers](security-layer.md)"
    fixed = build.rewrite_links(page, text, "https://example.org/repo/blob/main/")
    assert "(https://example.org/repo/blob/main/terraform/README.md#x-ray)" in fixed
    assert "(security-layer.md)" in fixed


def test_a_link_to_a_missing_file_fails_the_build():
    with pytest.raises(build.BuildError, match=r"broken link to nowhere\.md"):
        build.rewrite_links(build.DOCS / "index.md", "[x](nowhere.md)", "https://example.org/")


def test_diagram_markers_become_images_relative_to_the_page():
    text = "intro\n<!-- diagrams: network -->\n"
    assert "![network diagram of dev](diagrams/dev/network.svg)" in build.place_diagrams(text, 0, "dev")
    assert "(../diagrams/dev/network.svg)" in build.place_diagrams(text, 1, "dev")
    committed = "![the network](images/network.png)"
    assert build.place_diagrams(committed, 0, "dev") == "![network diagram of dev](diagrams/dev/network.svg)"
    with pytest.raises(build.BuildError, match="unknown diagram"):
        build.place_diagrams("<!-- diagrams: plumbing -->", 0, "dev")
    with pytest.raises(build.BuildError, match="unknown diagram"):
        build.place_diagrams("![x](images/plumbing.png)", 0, "dev")
    with pytest.raises(build.BuildError, match="make diagrams"):
        build.place_diagrams(text, 0, None)


def test_a_diagram_that_did_not_render_fails_the_build(tmp_path):
    diagrams = tmp_path / "diagrams" / "dev"
    diagrams.mkdir(parents=True)
    for name in build.DIAGRAM_NAMES:
        (diagrams / f"{name}.svg").write_text("<svg/>")
        if name != "security":
            (diagrams / f"{name}.png").write_bytes(b"png")
    with pytest.raises(build.BuildError, match=r"security\.png of dev did not render"):
        build.guides(tmp_path / "src", tmp_path / "diagrams")


def test_a_module_without_examples_is_found(tmp_path):
    modules = tmp_path / "plugins" / "modules"
    modules.mkdir(parents=True)
    (modules / "good.py").write_text('DOCUMENTATION = "x"\nEXAMPLES = r"""\n- name: Use it\n"""\n')
    (modules / "bare.py").write_text('DOCUMENTATION = "x"\nEXAMPLES = """\n"""\n')
    (modules / "none.py").write_text('DOCUMENTATION = "x"\n')
    assert build.plugins_without_examples(tmp_path) == ["plugins/modules/bare.py", "plugins/modules/none.py"]


def test_every_module_of_the_collection_has_examples():
    assert build.plugins_without_examples() == []


def test_sphinx_fails_on_a_broken_cross_reference_and_passes_without(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "index.md").write_text("# Home\n\nSee {ref}`no-such-label`.\n")
    with pytest.raises(build.BuildError):
        build.sphinx(source, tmp_path / "html")
    (source / "index.md").write_text("# Home\n\n(home)=\n## Section\n\nSee {ref}`home`.\n")
    build.sphinx(source, tmp_path / "html")
    assert (tmp_path / "html" / "index.html").is_file()
