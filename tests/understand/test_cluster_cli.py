import io
import json

from broadsheet.understand.cluster_cli import doc_from_json, run_cluster


def test_run_cluster_writes_one_line_per_input_in_order() -> None:
    lines = [
        {
            "id": "a",
            "title": "Arica earthquake in Chile",
            "text": "A 6.8 earthquake hit Arica, Chile.",
        },
        {
            "id": "b",
            "title": "Chile: Arica shaken by 6.8 earthquake",
            "text": "Arica, Chile, 6.8 quake.",
        },
        {
            "id": 3,
            "title": "Budget vote in Leeds",
            "text": "Leeds council delayed its budget.",
            "published": "2026-02-01T10:00:00Z",
            "source": "Post",
            "url": "https://x.test/1",
        },
    ]
    out = io.StringIO()
    code = run_cluster(io.StringIO("".join(json.dumps(x) + "\n" for x in lines)), out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 0
    assert [r["id"] for r in rows] == ["a", "b", 3]
    assert all(isinstance(r["story"], int) for r in rows)


def test_bad_lines_are_reported_and_skipped() -> None:
    text = '{"id": 1, "title": "T", "text": "x"}\nnot json\n{"title": "no id"}\n\n[1, 2]\n'
    out, err = io.StringIO(), io.StringIO()
    assert run_cluster(io.StringIO(text), out, errors=err) == 1
    assert len(out.getvalue().splitlines()) == 1
    assert "line 2" in err.getvalue() and "line 3" in err.getvalue() and "line 5" in err.getvalue()


def test_published_accepts_iso_strings_naive_times_and_epoch_seconds() -> None:
    assert doc_from_json({"id": 1, "published": "2026-02-01T10:00:00"}).published is not None
    assert doc_from_json({"id": 1, "published": 1_700_000_000}).published is not None
