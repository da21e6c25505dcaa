"""The ``broadsheet`` command. Imports stay inside the commands so ``--help`` answers at once."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from broadsheet.config import Settings
    from broadsheet.core import Broadsheet

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="broadsheet", description="Broadsheet: all your news in one place."
    )
    parser.add_argument("--config", type=Path, help="TOML settings file (BROADSHEET_CONFIG)")
    parser.add_argument("--data-dir", type=Path, help="data folder (BROADSHEET_DATA_DIR)")
    parser.add_argument("--database", help="database URL, e.g. postgresql://… (default: SQLite)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("init", help="create the data folder and the database")
    db = commands.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"], help="upgrade: apply migrations")

    serve = commands.add_parser("serve", help="run the web reader (and fetch in the background)")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default 8080)")
    serve.add_argument("--no-worker", action="store_true", help="do not fetch in this process")
    serve.add_argument("--workers", type=int, default=1, metavar="N",
                       help="serve from N processes (one a core; default 1)")  # fmt: skip

    add = commands.add_parser("add", help="add sources by feed URL or site URL")
    add.add_argument("urls", nargs="+", metavar="URL")

    fetch = commands.add_parser("fetch", help="fetch every due source once")
    fetch.add_argument("--all", action="store_true", help="fetch every source, due or not")

    commands.add_parser(
        "expire", help="remove articles older than their source's retention (saved ones stay)"
    )

    sources = commands.add_parser("sources", help="list sources and their health")
    sources.add_argument("--format", choices=["table", "json"], default="table")

    opml_in = commands.add_parser("import-opml", help="add every feed of an OPML file")
    opml_in.add_argument("file", type=Path, help="the OPML file, or - for standard input")
    opml_out = commands.add_parser("export-opml", help="write every source as OPML")
    opml_out.add_argument("file", nargs="?", help="where to write (default: standard output)")
    retry = commands.add_parser("retry", help="unpause sources and fetch them at the next chance")
    retry.add_argument("sources", nargs="*", metavar="ID|URL", help="default: every paused one")
    worker = commands.add_parser("worker", help="fetch due sources until stopped (no web app)")
    worker.add_argument(
        "--id", help="this worker's name (restarted under it, it takes back its leases)"
    )

    backfill = commands.add_parser("backfill", help="store the articles of web archives (WARC)")
    backfill.add_argument("files", nargs="+", type=Path, metavar="FILE.warc[.gz]")
    backfill.add_argument(
        "--engine", choices=["ray", "local"], default="ray",
        help="ray (default; RAY_ADDRESS names a cluster) or local processes",
    )  # fmt: skip
    backfill.add_argument("--workers", type=int, help="parallel extractions (default: cores)")

    export = commands.add_parser("export", help="write every stored article")
    export.add_argument("--format", choices=["jsonl"], default="jsonl")

    extract = commands.add_parser("extract", help="extract the article from a page")
    extract.add_argument("target", help="a URL, a file, or - for standard input")
    extract.add_argument("--format", choices=["json", "markdown", "text"], default="json")
    extract.add_argument("--url", help="the page's address, when reading a file")

    backup = commands.add_parser("backup", help="write a consistent copy of the database")
    backup.add_argument(
        "target", nargs="?", type=Path, help="file to write (default: DATA_DIR/backups/…)"
    )

    token = commands.add_parser("token", help="API tokens for the JSON API")
    token.add_argument("action", choices=["create", "list", "revoke"])
    token.add_argument("email", help="the account the token acts as")
    token.add_argument("--name", default="cli", help="a label for the new token")
    token.add_argument("--id", type=int, help="the token to revoke")

    cluster = commands.add_parser("cluster", help="group JSON-lines articles into stories")
    cluster.add_argument("file", help="JSON lines {id, title, text, published?, source?}, or -")

    users = commands.add_parser("users", help="accounts: list, add, set-role, reset-password")
    users.add_argument("action", choices=["list", "add", "set-role", "reset-password"])
    users.add_argument("email", nargs="?", help="the account (not for list)")
    users.add_argument("--role", choices=["reader", "editor", "admin"], help="role to give")
    users.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    from broadsheet.config import load_settings

    return load_settings(args.config, data_dir=args.data_dir, database_url=args.database)


def _open(args: argparse.Namespace) -> Broadsheet:
    from broadsheet.core import make_broadsheet

    return make_broadsheet(_settings(args))


def cmd_init(args: argparse.Namespace) -> int:
    broadsheet = _open(args)
    print(f"ready: {broadsheet.settings.resolved_database_url}")
    broadsheet.close()
    return 0


def cmd_db(args: argparse.Namespace) -> int:
    from broadsheet.storage import engine

    url = _settings(args).resolved_database_url
    engine.upgrade(engine.connect(url))
    print(f"database is up to date: {url}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    broadsheet = _open(args)
    failed = 0
    for url in args.urls:
        result = asyncio.run(broadsheet.add_source(url))
        if result.source is None:
            failed += 1
            print(f"failed  {url}: {result.error}", file=sys.stderr)
        else:
            verb = "added  " if result.created else "exists "
            print(f"{verb} {result.source.url}  {result.source.title or ''}".rstrip())
    broadsheet.close()
    return 1 if failed else 0


def cmd_fetch(args: argparse.Namespace) -> int:
    broadsheet = _open(args)
    report = asyncio.run(broadsheet.fetch_due(all_sources=args.all))
    for result in report.results:
        if not result.ok:
            print(f"failed  {result.url}: {result.error}", file=sys.stderr)
    print(f"sources ok: {report.ok}, failed: {report.failed}, new articles: {report.new_articles}")
    # A one-shot fetch places its articles in stories itself; `serve` does it continuously.
    placed = broadsheet.assign_stories(limit=1_000_000)
    if placed:
        print(f"placed {placed} articles in stories")
    labelled = 0
    while count := broadsheet.label_articles():
        labelled += count
    if labelled:
        print(f"labelled {labelled} articles with their topics")
    broadsheet.close()
    return 0


def cmd_expire(args: argparse.Namespace) -> int:
    """What ``serve`` does every hour, for installs that fetch from cron."""
    broadsheet = _open(args)
    try:
        removed = broadsheet.expire_articles()
    finally:
        broadsheet.close()
    print(f"removed {removed} expired articles")
    return 0


def cmd_backfill(args: argparse.Namespace) -> int:
    from broadsheet.workers.backfill import ArchiveExtract, run_backfill

    def progress(done: ArchiveExtract) -> None:
        print(f"{done.path}: {done.pages} pages, {len(done.articles)} articles, "
              f"{len(done.failures)} failed")  # fmt: skip

    broadsheet = _open(args)
    try:
        report = run_backfill(
            broadsheet.store, args.files, now=broadsheet.now, engine=args.engine,
            workers=args.workers, progress=progress,
        )  # fmt: skip
    finally:
        broadsheet.close()
    for where, reason in report.failures[:50]:
        print(f"failed  {where}: {reason}", file=sys.stderr)
    print(f"files: {report.files}, pages: {report.pages}, new articles: {report.stored}, "
          f"already stored: {report.duplicates}, failed: {len(report.failures)}")  # fmt: skip
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from broadsheet.workers.commands import source_json, sources_table

    broadsheet = _open(args)
    sources = broadsheet.list_sources()
    broadsheet.close()
    if args.format == "json":
        print(json.dumps([source_json(s) for s in sources], indent=2))
    else:
        sources_table(sources, sys.stdout)
    return 0


def cmd_import_opml(args: argparse.Namespace) -> int:
    from broadsheet.workers.commands import import_opml

    broadsheet = _open(args)
    try:
        return import_opml(broadsheet, args.file, sys.stdout, sys.stderr)
    finally:
        broadsheet.close()


def cmd_export_opml(args: argparse.Namespace) -> int:
    from broadsheet.workers.commands import export_opml

    broadsheet = _open(args)
    try:
        return export_opml(broadsheet, args.file, sys.stdout)
    finally:
        broadsheet.close()


def cmd_retry(args: argparse.Namespace) -> int:
    from broadsheet.workers.commands import retry

    broadsheet = _open(args)
    try:
        return retry(broadsheet, args.sources, sys.stdout, sys.stderr)
    finally:
        broadsheet.close()


def cmd_worker(args: argparse.Namespace) -> int:
    from broadsheet.workers.commands import worker

    broadsheet = _open(args)
    try:
        return worker(broadsheet, args.id)
    finally:
        broadsheet.close()


def cmd_export(args: argparse.Namespace) -> int:
    from broadsheet.serialize import article_json

    broadsheet = _open(args)
    out = sys.stdout
    for article in broadsheet.iter_articles():
        out.write(json.dumps(article_json(article), ensure_ascii=False) + "\n")
    broadsheet.close()
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from broadsheet.exceptions import BroadsheetError
    from broadsheet.extract import extract
    from broadsheet.extract.formats import render

    try:
        html, url = _read_target(args)
        article = extract(html, url=url)
    except BroadsheetError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(render(article, args.format))
    return 0


def _read_target(args: argparse.Namespace) -> tuple[bytes, str | None]:
    target: str = args.target
    if target == "-":
        return sys.stdin.buffer.read(), args.url
    if target.startswith(("http://", "https://")):
        from broadsheet.config import load_settings
        from broadsheet.ingest.fetch import fetch_url, make_client

        settings = load_settings(args.config)

        async def get() -> bytes:
            async with make_client(settings) as client:
                response = await fetch_url(
                    client, target, max_bytes=settings.max_body_bytes,
                    total_timeout=settings.total_timeout,
                )  # fmt: skip
                return response.content

        return asyncio.run(get()), target
    from broadsheet.exceptions import BroadsheetError

    try:
        return Path(target).read_bytes(), args.url
    except OSError as e:
        raise BroadsheetError(f"cannot read {target}: {e.strerror}") from e


def cmd_backup(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from broadsheet.storage.backup import backup_database

    settings = _settings(args)
    url = settings.resolved_database_url
    suffix = ".sqlite3" if url.startswith("sqlite") else ".pgdump"
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = args.target or settings.data_dir / "backups" / f"broadsheet-{stamp}{suffix}"
    print(f"backup written: {backup_database(url, target)}")
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    broadsheet = _open(args)
    tokens = broadsheet.store.api_tokens
    user, _ = broadsheet.store.get_user_by_email(args.email)
    if args.action == "create":
        record, secret = tokens.create(user.id, args.name, now=broadsheet.now())
        print(f"token {record.id} for {user.email}: {secret}")
        print("Keep it now: it is shown only once.", file=sys.stderr)
    elif args.action == "list":
        for t in tokens.list_for(user.id):
            used = t.last_used_at.isoformat() if t.last_used_at else "never used"
            print(f"{t.id}\t{t.name}\tcreated {t.created_at.isoformat()}\t{used}")
    else:
        if args.id is None:
            print("error: give --id of the token to revoke", file=sys.stderr)
            return 2
        tokens.revoke(args.id, user_id=user.id)
        print(f"revoked token {args.id}")
    broadsheet.close()
    return 0


def cmd_cluster(args: argparse.Namespace) -> int:
    from broadsheet.understand.cluster_cli import run_cluster

    if args.file == "-":
        return run_cluster(sys.stdin, sys.stdout)
    with open(args.file, encoding="utf-8") as infile:
        return run_cluster(infile, sys.stdout)


def cmd_serve(args: argparse.Namespace) -> int:
    from broadsheet.web.server import serve

    settings = _settings(args)
    if args.workers < 1:
        print("--workers must be 1 or more", file=sys.stderr)
        return 2
    serve(settings, host=args.host, port=args.port, worker=not args.no_worker,
          workers=args.workers)  # fmt: skip
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    """Accounts from the command line: the operator's way in when nobody can sign in."""
    from broadsheet.users_cli import run_users

    broadsheet = _open(args)
    try:
        return run_users(broadsheet, args)
    finally:
        broadsheet.close()


COMMANDS = {
    "init": cmd_init,
    "db": cmd_db,
    "add": cmd_add,
    "fetch": cmd_fetch,
    "expire": cmd_expire,
    "backfill": cmd_backfill,
    "sources": cmd_sources,
    "import-opml": cmd_import_opml,
    "export-opml": cmd_export_opml,
    "retry": cmd_retry,
    "worker": cmd_worker,
    "export": cmd_export,
    "extract": cmd_extract,
    "cluster": cmd_cluster,
    "token": cmd_token,
    "backup": cmd_backup,
    "users": cmd_users,
    "serve": cmd_serve,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from broadsheet.exceptions import BroadsheetError

    try:
        return COMMANDS[args.command](args)
    except BroadsheetError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
