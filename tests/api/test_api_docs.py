"""``/api/schema/`` opens in a browser as readable text while tools still get the OpenAPI
media types, and ``/api/docs/`` is an accessible page listing every operation (issue 15)."""

from __future__ import annotations

import csv
import io

import pytest
import yaml

pytestmark = pytest.mark.django_db

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


def test_a_browser_gets_the_schema_as_a_readable_page(client_for) -> None:  # type: ignore[no-untyped-def]
    answer = client_for(None).get("/api/schema/", HTTP_ACCEPT=BROWSER)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in answer
    html = answer.content.decode()
    assert '<html lang="en">' in html and "<title>" in html and "<main>" in html
    assert '<pre tabindex="0"' in html and "openapi: 3." in html
    assert "&lt;" in html or "<script" not in html  # the YAML is escaped, not markup


def test_tools_still_get_the_openapi_media_types(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(None)
    default = client.get("/api/schema/", HTTP_ACCEPT="*/*")
    assert default["Content-Type"].startswith("application/vnd.oai.openapi")
    assert yaml.safe_load(default.content)["openapi"].startswith("3.")
    as_json = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert as_json["Content-Type"].startswith("application/json")
    assert "paths" in as_json.json()
    assert client.get("/api/schema/?format=json").json()["openapi"].startswith("3.")


def test_the_docs_page_lists_every_operation_with_who_may_call_it(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(None)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="app-table-wrapper" tabindex="0" role="region"' in html
    assert "swagger-ui" not in html
    assert "unsafe-inline" not in page["Content-Security-Policy"]  # Swagger UI needed it
    rows = list(csv.DictReader(io.StringIO(client.get("/api/docs/?format=csv").content.decode())))
    operations = {(r["Method"], r["Path"]): r for r in rows}
    schema = client.get("/api/schema/?format=json").json()
    expected = {
        (m.upper(), p) for p, item in schema["paths"].items() for m in item if m != "parameters"
    }
    assert set(operations) == expected
    referrals = operations[("POST", "/api/v1/referrals/")]
    assert "401" in referrals["Statuses it answers"] and "403" in referrals["Statuses it answers"]
    assert operations[("GET", "/api/oruk/services")]["Who may call it"] == "Anyone (no sign-in)"
