"""The compliance report's HTML page opens in headless Chromium: the screenshot is not blank (the page's colours
and text are drawn over a good part of it) and the rendered DOM shows the failing control and the drift."""

from __future__ import annotations

from ansible_collections.securecloud.monitor.plugins.module_utils import compliance_report as cr
from PIL import Image

from tools.harness import browser


def drifted_environment():
    diff = "--- before\n+++ after\n@@ -1 +1 @@\n-  threshold: 50\n+  threshold: 80\n"
    failed = {
        "id": "SCM.TRAIL.1",
        "title": "The audit trail is logging",
        "severity": "high",
        "status": "failed",
        "resource": "prod-audit",
        "detail": "Logging is stopped.",
        "mappings": {"cis": ["3.1"], "fsbp": ["CloudTrail.1"]},
    }
    passed = dict(failed, id="SCM.MON.1", title="Every service has an alarm", status="passed", detail="ok")
    drift = {"role": "monitoring", "task": "Alarms of the environment", "resource": "prod-mon-api-5xx", "diff": diff}
    return {
        "name": "prod",
        "region": "eu-west-1",
        "account_id": "123456789012",
        "controls": [passed, failed],
        "drift": [drift],
    }


def test_the_html_report_renders_in_headless_chromium(tmp_path):
    page = tmp_path / "compliance.html"
    page.write_text(cr.render_html(cr.build_report([drifted_environment()], run={"id": "1"})))

    png = browser.screenshot(page, tmp_path / "compliance.png")

    image = Image.open(png)
    assert image.size == (1280, 1600)
    assert len(set(image.convert("RGB").get_flattened_data())) > 20, "a blank or single-colour page"
    assert browser.painted_share(png) > 0.02
    dom = browser.rendered_dom(page)
    assert "SCM.TRAIL.1" in dom and "prod-mon-api-5xx" in dom and "threshold: 80" in dom
    assert dom.index("SCM.TRAIL.1") < dom.index("SCM.MON.1"), "failing controls first"


def test_a_blank_page_is_told_apart(tmp_path):
    page = tmp_path / "blank.html"
    page.write_text("<!DOCTYPE html><html><body></body></html>")

    png = browser.screenshot(page, tmp_path / "blank.png")

    assert browser.painted_share(png) == 0
