"""The report's cells (casualties.report_cells): which URLs become links."""

from __future__ import annotations

import casualties.rendering
from casualties.report_cells import safe_url


def test_only_http_urls_with_a_host_are_safe():
    assert safe_url("javascript:alert(1)") is None and safe_url("ftp://x.org/") is None and safe_url("https://") is None
    assert safe_url("http://example.org/a b") == "http://example.org/a%20b"


def test_safe_url_is_still_public_in_rendering():
    assert casualties.rendering.safe_url is safe_url and "safe_url" in casualties.rendering.__all__
