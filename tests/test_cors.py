"""Issue 16: browsers on other origins (YASGUI, Sparnatural, an observatory's own pages)
could not query the endpoint, and OPTIONS got 405. Reads get CORS, on by default and
configurable with ``--cors``; writes get it only with the token."""

from __future__ import annotations

import shutil
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import server_with_token, start_isgraph_server, stop
from tests.test_serve import TOKEN, get, post, q

YASGUI = "https://yasgui.example"


@pytest.fixture(scope="module")
def listed(catalogue_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with server_with_token(tmp_path_factory.mktemp("cors"), TOKEN, catalogue_store, "--cors", YASGUI) as base:
        yield base


def preflight(url: str, origin: str, method: str) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(
        url,
        method="OPTIONS",
        headers={"Origin": origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": "content-type"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers)


def headers_of(url: str, **headers: str) -> dict[str, str]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
        return dict(response.headers)


def test_reads_get_cors_for_the_listed_origins_only(listed: str) -> None:
    ask = f"{listed}/sparql?query={q('ASK {}')}"
    assert headers_of(ask, Origin=YASGUI, Accept="application/json")["access-control-allow-origin"] == YASGUI
    assert "access-control-allow-origin" not in {k.lower() for k in headers_of(ask, Origin="https://other.example")}
    assert headers_of(f"{listed}/api/queries", Origin=YASGUI)["access-control-allow-origin"] == YASGUI
    status, headers = preflight(f"{listed}/sparql", YASGUI, "POST")
    assert status == 204
    assert (headers["access-control-allow-origin"], headers["access-control-allow-methods"]) == (YASGUI, "GET, POST")
    assert "Content-Type" in headers["access-control-allow-headers"]
    assert preflight(f"{listed}/sparql", "https://other.example", "POST")[0] == 403
    assert preflight(f"{listed}/sparql", YASGUI, "DELETE")[0] == 403


def test_writes_get_cors_only_with_the_token(listed: str) -> None:
    update = urllib.parse.urlencode({"update": "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }"}).encode()
    form = "application/x-www-form-urlencoded"
    status, _, _ = post(f"{listed}/sparql", update, form, Origin=YASGUI)
    assert status == 401
    refused = urllib.request.Request(f"{listed}/sparql", data=update, headers={"Content-Type": form, "Origin": YASGUI})
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(refused, timeout=30)
    assert caught.value.code == 401 and caught.value.headers.get("Access-Control-Allow-Origin") is None
    allowed = urllib.request.Request(
        f"{listed}/sparql",
        data=update,
        headers={"Content-Type": form, "Origin": YASGUI, "Authorization": f"Bearer {TOKEN}"},
    )
    with urllib.request.urlopen(allowed, timeout=30) as response:
        assert (response.status, response.headers["Access-Control-Allow-Origin"]) == (204, YASGUI)
    drop = urllib.parse.urlencode({"update": "DROP GRAPH <urn:g>"}).encode()
    assert post(f"{listed}/sparql", drop, form, Authorization=f"Bearer {TOKEN}")[0] == 204


def test_cors_is_on_for_every_origin_by_default(catalogue_store: Path, tmp_path: Path) -> None:
    shutil.copytree(catalogue_store, tmp_path / "store")
    process, base = start_isgraph_server(tmp_path / "store")
    try:
        headers = headers_of(f"{base}/sparql?query={q('ASK {}')}", Origin="https://anyone.example", Accept="application/json")
        assert headers["access-control-allow-origin"] == "*"
        assert get(f"{base}/sparql?query={q('ASK {}')}", "application/json")[0] == 200
    finally:
        stop(process)
    process, base = start_isgraph_server(tmp_path / "store", "--cors")
    try:
        headers = headers_of(f"{base}/sparql?query={q('ASK {}')}", Origin="https://anyone.example", Accept="application/json")
        assert "access-control-allow-origin" not in {k.lower() for k in headers}
    finally:
        stop(process)
