"""A catalogue that pages: ``limit`` and ``offset`` (100 rows by default) on the command line,
in the HTTP API (with a ``Link`` to the next page) and on the pages for browsers, each page
read by the store alone, in the query's own order; ``--all`` and ``all=true`` give every row."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest

from isgraph.errors import InputError
from isgraph.query import catalogue
from tests.conftest import run_cli, start_isgraph_server, stop

ID = "https://w3id.org/isgraph/id/actor/"
#: actor-pairs over the test data, in its order (26 rows): the first seven.
FIRST_PAIRS = [
    f"{ID}fixture/atelier,{ID}fixture/ville,2",
    f"{ID}association-initielles,{ID}initielles/ambassadrices,1",
    f"{ID}association-initielles,{ID}initielles/habitants-du-quartier,1",
    f"{ID}fixture/asso-alpha,{ID}fixture/atelier,1",
    f"{ID}fixture/asso-alpha,{ID}fixture/habitants-alpha,1",
    f"{ID}fixture/asso-alpha,{ID}fixture/ville,1",
    f"{ID}fixture/atelier,{ID}fixture/coop-bravo,1",
]


def _csv_rows(text: str) -> list[str]:
    return text.replace("\r\n", "\n").splitlines()[1:]


def test_the_command_line_gives_a_page_and_says_what_follows(catalogue_store: Path) -> None:
    first = run_cli("query", "actor-pairs", "--store", catalogue_store, "--limit", "3", "--format", "csv", "--lang", "en")
    assert (first.code, _csv_rows(first.stdout)) == (0, FIRST_PAIRS[:3])
    assert first.stderr == "isgraph: rows 1 to 3; more follow: --offset 3, or --all for every row\n"
    second = run_cli(
        "query", "actor-pairs", "--store", catalogue_store, "--limit", "4", "--offset", "3", "--format", "csv", "--lang", "fr"
    )
    assert _csv_rows(second.stdout) == FIRST_PAIRS[3:7]
    assert second.stderr == "isgraph: lignes 4 à 7 ; d'autres suivent : --offset 7, ou --all pour toutes\n"
    whole = run_cli("query", "actor-pairs", "--store", catalogue_store, "--all", "--format", "csv")
    default = run_cli("query", "actor-pairs", "--store", catalogue_store, "--format", "csv")
    assert len(_csv_rows(whole.stdout)) == 26 and _csv_rows(whole.stdout)[:7] == FIRST_PAIRS
    assert (_csv_rows(default.stdout), default.stderr) == (_csv_rows(whole.stdout), "")  # 26 rows: one page of 100
    last = run_cli("query", "actor-pairs", "--store", catalogue_store, "--limit", "5", "--offset", "25", "--format", "csv")
    assert (len(_csv_rows(last.stdout)), last.stderr) == (1, "")
    bad = run_cli("query", "actor-pairs", "--store", catalogue_store, "--limit", "0", "--lang", "en")
    assert (bad.code, bad.stdout, bad.stderr) == (2, "", 'isgraph: "limit": at least 1; "offset": at least 0 (actor-pairs)\n')


@pytest.fixture(scope="module")
def served(catalogue_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("paging") / "store"
    shutil.copytree(catalogue_store, path)
    process, url = start_isgraph_server(path)
    try:
        yield url
    finally:
        stop(process)


def _get(url: str, accept: str = "text/csv") -> tuple[int, str, Message]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), exc.headers


def test_the_api_gives_a_page_and_links_the_next(served: str) -> None:
    status, body, headers = _get(f"{served}/api/queries/actor-pairs?limit=3&offset=2&format=csv")
    assert (status, _csv_rows(body)) == (200, FIRST_PAIRS[2:5])
    assert headers["Link"] == f'<{served}/api/queries/actor-pairs?limit=3&format=csv&offset=5>; rel="next"'
    status, body, headers = _get(f"{served}/api/queries/actor-pairs?format=csv")
    assert (len(_csv_rows(body)), headers.get("Link")) == (26, None)
    status, body, headers = _get(f"{served}/api/queries/actor-pairs?all=true&format=csv")
    assert (len(_csv_rows(body)), _csv_rows(body)[:7]) == (26, FIRST_PAIRS)
    status, body, _ = _get(f"{served}/api/queries/actor-pairs?limit=0&format=csv")
    assert (status, body) == (400, '"limit": at least 1; "offset": at least 0 (actor-pairs)\n')


def test_a_page_for_browsers_is_read_alone(served: str) -> None:
    status, html, _ = _get(f"{served}/queries/actor-pairs?lang=en&size=3&page=2", accept="text/html")
    assert status == 200
    assert "rows 4 to 6, more follow" in html
    assert "page 2</span>" in html
    assert 'rel="prev" href="/queries/actor-pairs?lang=en&amp;size=3&amp;page=1"' in html
    assert 'rel="next" href="/queries/actor-pairs?lang=en&amp;size=3&amp;page=3"' in html
    status, html, _ = _get(f"{served}/queries/actor-pairs?lang=en&size=3&page=9", accept="text/html")
    assert "rows 25 to 26" in html and 'rel="next"' not in html


def test_no_parameter_takes_a_name_of_the_pages(tmp_path: Path) -> None:
    source = (catalogue.resources.queries_dir() / "actors-in-several-initiatives.rq").read_text(encoding="utf-8")
    (tmp_path / "actors-in-several-initiatives.rq").write_text(source.replace("min:", "limit:").replace("?_min", "?_limit"))
    with pytest.raises(InputError) as caught:
        catalogue.load_catalogue(tmp_path)
    assert caught.value.message.en.startswith("reserved name (reserved: format, limit, offset, all, page, size)")


def test_a_whole_answer_is_written_by_the_store_and_leaves_no_file(served: str) -> None:
    """actor-pairs has no label to fill: the store writes its whole answer to a file, sent from
    there, in each format; elements-to-follow has labels: they are filled as on every page."""
    import glob
    import json
    import tempfile

    _, csv_body, headers = _get(f"{served}/api/queries/actor-pairs?all=true&format=csv")
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    _, tsv_body, _ = _get(f"{served}/api/queries/actor-pairs?all=true&format=tsv")
    _, json_body, _ = _get(f"{served}/api/queries/actor-pairs?all=true", accept="application/sparql-results+json")
    bindings = json.loads(json_body)["results"]["bindings"]
    rows = [",".join(b[v]["value"] for v in ("actor1", "actor2", "shared")) for b in bindings]
    assert rows[:7] == FIRST_PAIRS and rows == _csv_rows(csv_body) and len(tsv_body.splitlines()) == 27
    _, labelled, _ = _get(f"{served}/api/queries/elements-to-follow?all=true&format=csv&lang=en")
    _, first_page, _ = _get(f"{served}/api/queries/elements-to-follow?format=csv&lang=en")
    assert _csv_rows(labelled) == _csv_rows(first_page) and "Broad and participatory governance (empowerment)" in labelled
    assert glob.glob(f"{tempfile.gettempdir()}/isgraph-answer-*") == []


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_every_row_from_the_command_line_is_written_by_the_store(catalogue_store: Path, tmp_path: Path, fmt: str) -> None:
    """--all on a query without labels to fill: the store writes the answer itself; the same
    bytes as one page holding every row, read through Python."""
    whole = run_cli("query", "actor-pairs", "--store", catalogue_store, "--all", "--format", fmt)
    paged = run_cli("query", "actor-pairs", "--store", catalogue_store, "--limit", "1000", "--format", fmt)
    assert (whole.code, whole.stderr) == (0, "")
    assert whole.stdout == paged.stdout
    output = tmp_path / f"pairs.{fmt}"
    written = run_cli("query", "actor-pairs", "--store", catalogue_store, "--all", "--format", fmt, "--output", output)
    assert (written.code, written.stdout) == (0, "")
    assert output.read_bytes().decode().replace("\r\n", "\n") == whole.stdout.replace("\r\n", "\n")


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
def test_labels_the_query_leaves_unbound_are_filled_in_the_answer_the_store_writes(catalogue_store: Path, fmt: str) -> None:
    """elements-to-follow asked in a language its elements have no label in (de): its query
    binds no label, and isgraph fills each one (the French label, the lookup's next choice)
    in the answer the store writes, as it does on every page read through Python."""
    whole = run_cli("query", "elements-to-follow", "-p", "lang=de", "--store", catalogue_store, "--all", "--format", fmt)
    paged = run_cli(
        "query", "elements-to-follow", "-p", "lang=de", "--store", catalogue_store, "--limit", "1000", "--format", fmt
    )
    assert (whole.code, whole.stderr, paged.code) == (0, "", 0)
    if fmt == "json":  # the same bindings; a filled label comes last in its row's object
        assert json.loads(whole.stdout) == json.loads(paged.stdout)
        labels = [b["elementLabel"] for b in json.loads(whole.stdout)["results"]["bindings"]]
        assert labels[:2] == [
            {"type": "literal", "value": "Changement social", "xml:lang": "fr"},
            {"type": "literal", "value": "Impacts directs", "xml:lang": "fr"},
        ]
    else:
        assert whole.stdout == paged.stdout
        first = "Changement social" if fmt == "csv" else '"Changement social"@fr'
        assert whole.stdout.splitlines()[1].split("," if fmt == "csv" else "\t")[2] == first


def test_the_server_fills_the_labels_of_a_whole_answer(served: str) -> None:
    for fmt in ("csv", "tsv"):
        _, whole, headers = _get(f"{served}/api/queries/elements-to-follow?all=true&format={fmt}&lang=de")
        _, page, _ = _get(f"{served}/api/queries/elements-to-follow?limit=1000&format={fmt}&lang=de")
        assert (whole, headers.get("Link")) == (page, None)
        assert "Gouvernance élargie et participative (empowerment)" in whole
    _, whole, _ = _get(f"{served}/api/queries/elements-to-follow?all=true&lang=de", accept="application/sparql-results+json")
    _, page, _ = _get(f"{served}/api/queries/elements-to-follow?limit=1000&lang=de", accept="application/sparql-results+json")
    assert json.loads(whole) == json.loads(page) and len(json.loads(whole)["results"]["bindings"]) == 7
