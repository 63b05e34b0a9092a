"""The `kurultai` command."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import json
import sys
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

# no locals in a traceback: they would print a database URL with its password
app = typer.Typer(add_completion=False, no_args_is_help=True, help="Kurultai: diplomatic events from news.",
                  pretty_exceptions_show_locals=False, context_settings={"help_option_names": ["-h", "--help"]})
err = Console(stderr=True)


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("kurultai")
    except PackageNotFoundError:  # run from a checkout without installing
        return "unknown"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"kurultai {version()}")
        raise typer.Exit()


@app.callback()
def _options(show_version: bool = typer.Option(False, "--version", "-V", callback=_show_version, is_eager=True,
                                               help="Print the version and exit.")) -> None:
    """Kurultai: diplomatic events from news."""


REVIEW_HELP = "unreviewed | confirmed | corrected | rejected | reviewed (any but unreviewed)"
REJECTED_HELP = "Rejected events too (else only --review rejected shows them)."


def _fail(message: str, code: int = 2) -> NoReturn:
    """One line on stderr, then exit `code` (2: the command line was wrong)."""
    err.print(f"error: {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=code)


def _parse_day(value: str | None, flag: str = "--published") -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"{flag}: {value!r} is not a date (YYYY-MM-DD)")


# -- the event filters: one definition for `search` and `export` --------------------------------------
FLAGS = {"format": "--named-format", "from": "--from", "to": "--to"}  # the API's name of a filter -> its flag


def _filter_options() -> list[inspect.Parameter]:
    from kurultai.filters import MODES, ROLES, STATUSES, TOPICS

    def option(name: str, kind, default, *decls: str, help: str) -> inspect.Parameter:  # noqa: A002
        return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=kind,
                                 default=typer.Option(default, *decls, help=help, rich_help_panel="Filters"))

    text = typer.Argument(None, metavar="TEXT", help="Full-text query over articles and event summaries.", show_default=False)
    return [
        inspect.Parameter("text", inspect.Parameter.KEYWORD_ONLY, annotation=str | None, default=text),
        option("country", str | None, None, "--country",
               help="A state: ISO alpha-3 (KGZ) or its name in any language (Kyrgyzstan, Кыргызстан)."),
        option("person", str | None, None, "--person",
               help="Part of a participant's name, any case and script, or of a KB name of theirs."),
        option("role", str | None, None, "--role", help="Someone of this role took part: " + ", ".join(ROLES) + "."),
        option("org", str | None, None, "--org", help="Organisation: id (CSTO) or name or abbreviation (ОДКБ)."),
        option("format_", str | None, None, "--named-format",
               help="bilateral, multilateral or a named format, e.g. C5, C5+RUS, CSTO:CFM."),
        option("topic", str | None, None, "--topic", help="One of: " + ", ".join(TOPICS) + "."),
        option("date_from", str | None, None, "--from", help="First day, YYYY-MM-DD."),
        option("date_to", str | None, None, "--to", help="Last day, YYYY-MM-DD."),
        option("status", str | None, None, "--status", help=" | ".join(STATUSES)),
        option("mode", str | None, None, "--mode", help=" | ".join(MODES)),
        option("review", str | None, None, "--review", help=REVIEW_HELP),
        option("include_rejected", bool, False, "--include-rejected", help=REJECTED_HELP),
    ]


def with_filters(fn):
    """`fn` taking `query: SearchQuery` becomes a command with the event filters as options (the same
    flags on every command that has them); a value that names nothing is one line and exit 2."""
    sig = inspect.signature(fn)
    own = [p for p in sig.parameters.values() if p.name != "query"]
    added = _filter_options()

    @functools.wraps(fn)
    def command(**kwargs):
        from kurultai.filters import FilterError, resolve
        from kurultai.store import SearchQuery

        values = {p.name: kwargs.pop(p.name) for p in added}
        try:
            query = SearchQuery(text=values["text"], country=values["country"], person=values["person"],
                                role=values["role"], org=values["org"], format=values["format_"],
                                topic=values["topic"], date_from=_parse_day(values["date_from"], "--from"),
                                date_to=_parse_day(values["date_to"], "--to"), status=values["status"],
                                mode=values["mode"], include_rejected=values["include_rejected"])
            query.review = values["review"]
            resolve(query)
        except FilterError as exc:
            _fail(f"{FLAGS.get(exc.param, '--' + exc.param)}: {exc.message}")
        return fn(query=query, **kwargs)

    command.__signature__ = sig.replace(parameters=[*own, *added])
    command.__annotations__ = {**{p.name: p.annotation for p in own}, **{p.name: p.annotation for p in added}}
    del command.__wrapped__  # typer reads the signature above, not the wrapped function's
    return command


def _expand(paths: list[Path]) -> list[Path]:
    from kurultai.sources import DOCUMENT_SUFFIXES

    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(x for x in p.rglob("*") if x.suffix.lower() in DOCUMENT_SUFFIXES and x.is_file()))
        else:
            out.append(p)
    return out


def _progress(total: int | None, *fields: str) -> Progress:
    """A progress bar on stderr (a terminal only): with the count, the time taken and an ETA when the
    total is known, a spinner and `fields` when it is not."""
    if total is None:
        columns = [SpinnerColumn(), TextColumn("{task.description}"), *(TextColumn(f) for f in fields), TimeElapsedColumn()]
    else:
        columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("eta"), TimeRemainingColumn(), *(TextColumn(f) for f in fields)]
    return Progress(*columns, console=err, disable=not err.is_terminal)


@app.command()
def extract(
    files: list[Path] = typer.Argument(..., help="Articles (.txt in any encoding, .html, .docx, .pdf), read as ingest "
                                                 "reads them; folders are searched for those."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write NAME.json per input here (default: stdout)."),
    published: str | None = typer.Option(None, "--published", help="Publication date YYYY-MM-DD, when the text lacks it."),
    meta: Path | None = typer.Option(None, "--meta", help="Per-file publication dates and sources, in the corpus' "
                                                          "meta.json form: {NAME: {published, source}}; over --published."),
) -> None:
    """Extract diplomatic events: one extraction (shared schema) per input file."""
    from kurultai.clean import InputError
    from kurultai.meta import MetaError, load_meta
    from kurultai.pipeline import Pipeline
    from kurultai.sources import read_document

    day = _parse_day(published)
    try:
        facts = load_meta(meta) if meta is not None else {}
    except MetaError as exc:
        _fail(f"--meta: {exc}")
    paths = _expand(files)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    pipeline = Pipeline()
    failures = 0
    with _progress(len(paths)) as progress:
        task = progress.add_task("extracting", total=len(paths), visible=out is not None and len(paths) > 1)
        for path in paths:
            fact = facts.get(path.stem)
            if meta is not None and fact is None:
                err.print(f"warning: {path}: no entry {path.stem!r} in {meta}", highlight=False, soft_wrap=True)
            try:
                if not path.is_file():
                    raise InputError("no such file" if not path.exists() else "not a regular file")
                doc = read_document(path, fact.published if fact and fact.published else day)
                if fact and fact.source:
                    doc.source = fact.source
                result = pipeline.run_document(doc)
            except InputError as exc:
                failures += 1
                err.print(f"error: {path}: {exc}", highlight=False, soft_wrap=True)
            except OSError as exc:
                failures += 1
                err.print(f"error: {path}: {exc.strerror or exc}", highlight=False, soft_wrap=True)
            else:
                payload = result.to_json()
                if out is None:
                    sys.stdout.write(payload + "\n")
                else:
                    (out / f"{path.stem}.json").write_text(payload + "\n", encoding="utf-8")
            progress.advance(task)
    if failures:
        raise typer.Exit(code=1)


@app.command("eval")
def evaluate(
    gold: Path = typer.Option(..., "--gold", help="Folder of NAME.gold.json (and NAME.txt) files."),
    pred: Path | None = typer.Option(None, "--pred", help="Folder of NAME.json extractions; default: extract the gold folder's texts now."),
    as_json: bool = typer.Option(False, "--json", help="Print the full result as JSON."),
    by_lang: bool = typer.Option(False, "--by-lang", help="Also score each language of the gold folder."),
    explain_errors: bool = typer.Option(False, "--explain", help="Attribute every missed, spurious or wrong item to the stage that lost it."),
) -> None:
    """Score extractions against gold annotations: per-field P/R/F1 (the shared scorer's measure)."""
    from kurultai.evaluate import (
        explain,
        extract_gold_dir,
        render,
        render_by_language,
        render_explain,
        score,
        score_by_language,
    )

    if not gold.is_dir():
        err.print(f"error: {gold}: not a folder")
        raise typer.Exit(code=2)
    if pred is None:
        import tempfile

        tmp = Path(tempfile.mkdtemp(prefix="kurultai-eval-"))
        for message in extract_gold_dir(gold, tmp):
            err.print(message, highlight=False)
        pred = tmp
    result = score(gold, pred)
    extra: dict = {}
    if by_lang:
        extra["by_language"] = score_by_language(gold, pred)
    if explain_errors:
        extra["explain"] = explain(gold, pred)
    if as_json:
        sys.stdout.write(json.dumps({**result, **extra}, ensure_ascii=False, indent=2) + "\n")
        return
    if "explain" in extra:
        sys.stdout.write(render_explain(extra["explain"]) + "\n")
    if "by_language" in extra:
        sys.stdout.write(render_by_language(extra["by_language"]) + "\n")
    sys.stdout.write(render(result))


@app.command("eval-merge")
def eval_merge(
    gold: Path = typer.Option(..., "--gold", help="Folder of NAME.txt, NAME.gold.json, meta.json and same_events.json."),
    orders: int = typer.Option(5, "--orders", min=1, help="How many shuffled orders of ingestion to try."),
    seed: int = typer.Option(0, "--seed", help="Seed of the first order."),
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON."),
) -> None:
    """Score merging: ingest the folder in shuffled orders into fresh stores and compare the stored clusters
    of its gold events with same_events.json (pairwise and B-cubed precision/recall)."""
    from dataclasses import asdict

    from kurultai.eval_merge import evaluate_merge, render

    if not gold.is_dir():
        err.print(f"error: {gold}: not a folder")
        raise typer.Exit(code=2)
    results = evaluate_merge(gold, orders=orders, seed=seed)
    if as_json:
        sys.stdout.write(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1) + "\n")
        return
    sys.stdout.write(render(results))


DB_HELP = "Database URL: sqlite:///PATH (default kurultai.db) or postgresql://user:pass@host/db; env KURULTAI_DB."


def _store(db: str | None, create: bool = False):
    """The store at `db` (or KURULTAI_DB, or the default); only `ingest` and `serve` make a new one, the
    reading commands say there is none."""
    import os

    from kurultai.redact import redact, unquoted_at
    from kurultai.store import DEFAULT_URL, Store, store_exists

    url = db or os.environ.get("KURULTAI_DB") or DEFAULT_URL
    shown = redact(url)
    if unquoted_at(url):
        _fail(f"cannot open database {shown}: its password holds '@'; write it as %40")
    try:
        if not create and not store_exists(url):
            err.print(f"error: no Kurultai store at {shown} (`kurultai ingest` makes one)", highlight=False,
                      soft_wrap=True)
            raise typer.Exit(code=2)
        return Store(url)
    except typer.Exit:
        raise
    except Exception as exc:  # noqa: BLE001 - any driver error becomes one line
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        err.print(f"error: cannot open database {shown}: {redact(reason, url)}", highlight=False,
                  soft_wrap=True)
        raise typer.Exit(code=2) from None


@app.command()
def ingest(
    sources: list[str] = typer.Argument(..., help="Files, folders (recursive), globs, URLs or feeds."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    workers: int = typer.Option(1, "--workers", "-w", min=1, max=64, help="Extraction processes."),
    published: str | None = typer.Option(None, "--published", help="Publication date YYYY-MM-DD for texts that lack one."),
    dask: str | None = typer.Option(None, "--dask", metavar="tcp://HOST:8786|local:N",
                                    help="Extract on a Dask cluster: a running scheduler's address, or local:N for a "
                                         "local cluster of N worker processes."),
    prefilter: bool = typer.Option(True, "--prefilter/--no-prefilter",
                                   help="Skip (and record as skipped) articles that cannot hold a diplomatic event; "
                                        "--no-prefilter extracts every article, also those skipped before."),
    batch: int = typer.Option(50, "--batch", min=1, max=10_000, help="Documents written in one transaction at most."),
) -> None:
    """Store documents and their events; the same content twice changes nothing."""
    from kurultai.distributed import DaskError
    from kurultai.ingest import ingest as run_ingest

    day = _parse_day(published)
    store = _store(db, create=True)
    with _progress(None, "{task.fields[counts]}") as progress:  # how many sources a feed or a folder holds is not known
        task = progress.add_task("ingesting", total=None, counts="")

        def show(r) -> None:
            progress.update(task, counts=f"{r.documents} documents, {r.events_created} new events, "
                                         f"{r.events_merged} merged, {r.errors} errors")

        try:
            report = run_ingest(store, sources, published=day, workers=workers, dask=dask, prefilter=prefilter,
                                batch=batch, on_progress=show)
        except DaskError as exc:
            err.print(f"error: {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(code=2) from None
    for message in report.error_messages:
        err.print(f"error: {message}", highlight=False, soft_wrap=True)
    typer.echo(f"documents {report.documents} (stored {report.stored}, already stored {report.existing}, "
               f"near-duplicates {report.duplicates}, skipped {report.skipped}); events new {report.events_created}, "
               f"merged {report.events_merged}; errors {report.errors}")
    for reason, n in sorted(report.skip_reasons.items()):
        err.print(f"skipped {n}: {reason}", highlight=False, soft_wrap=True)
    if report.errors:
        raise typer.Exit(code=1)


@app.command()
def remerge(db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Re-cluster every stored report into events, after a change of the merge rules or the knowledge base."""
    store = _store(db)
    try:
        out = store.remerge()
    finally:
        store.close()
    sys.stdout.write(f"events {out['events_before']} -> {out['events_after']} "
                     f"({out['components']} components, {out['events_changed']} events changed)\n")


@app.command()
@with_filters
def search(
    query,
    limit: int = typer.Option(50, "--limit", min=1, max=10000),
    as_json: bool = typer.Option(False, "--json"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Find stored events."""
    from rich.table import Table

    query.limit = limit
    store = _store(db)
    rows = store.search_dicts(query)
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    table = Table("id", "date", "status", "review", "mode", "format", "countries", "participants", "place")
    for r in rows:
        table.add_row(str(r["id"]), r["date"]["text"] if r["date"] else "", r["status"], r["review"]["state"], r["mode"],
                      r["named_format"] or r["format"], " ".join(r["countries"] + r["organizations"]),
                      ", ".join(p["name_en"] for p in r["participants"]), r["location"]["name"] if r["location"] else "")
    Console().print(table)
    typer.echo(f"{len(rows)} events")


@app.command()
def show(event_id: int = typer.Argument(...), db: str | None = typer.Option(None, "--db", help=DB_HELP),
         as_json: bool = typer.Option(False, "--json")) -> None:
    """One event: every field, with its evidence quoted from each source."""
    from kurultai.views import event_dict, render_event

    store = _store(db)
    found = store.event(event_id)
    if found is None:
        err.print(f"error: no event {event_id}")
        raise typer.Exit(code=1)
    if as_json:
        sys.stdout.write(json.dumps(event_dict(*found), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(render_event(*found))


def _check_port(host: str, port: int) -> None:
    """One line and exit 2 when `host:port` cannot be listened on (another server has it, no such
    address), before the store is opened or a worker started."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except OSError as exc:
        _fail(f"cannot serve on {host}:{port}: {exc.strerror or exc}")
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: only a listener refuses
        try:
            sock.bind(address)
        except OSError as exc:
            busy = exc.errno == errno.EADDRINUSE
            _fail(f"cannot serve on {host}:{port}: " + ("the port is in use (another server?); pick one with --port"
                                                        if busy else str(exc.strerror or exc)))


@app.command()
def serve(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    token_file: Path | None = typer.Option(None, "--token-file", exists=True, dir_okay=False,
                                           help="File holding the API token for write endpoints, or one "
                                                "'NAME TOKEN' a line (else env KURULTAI_API_TOKEN; none: "
                                                "writes are off)."),
    workers: int = typer.Option(1, "--workers", "-w", min=1, max=64,
                                help="Server processes on one port (each keeps its own in-memory index); "
                                     "about one per core."),
) -> None:
    """The REST API (/api, schema at /openapi.json) and the dashboard, on one store."""
    import os

    import uvicorn

    from kurultai.api import create_app
    from kurultai.api.guard import max_body_from_env

    try:
        max_body_from_env()
    except ValueError as exc:  # a bad KURULTAI_MAX_BODY is one line, before anything starts
        err.print(f"error: {exc}", highlight=False, soft_wrap=True)
        raise typer.Exit(code=2) from None
    _check_port(host, port)
    token = token_file.read_text(encoding="utf-8").strip() if token_file else None
    store = _store(db, create=True)  # a bad URL is one line here, and the schema is migrated once, before any worker starts
    writes = bool(token if token is not None else os.environ.get("KURULTAI_API_TOKEN"))
    typer.echo(f"Kurultai at http://{host}:{port}/ (API at /api, writes {'on' if writes else 'off'}, "
               f"{workers} worker{'s' if workers > 1 else ''})")
    if workers == 1:
        uvicorn.run(create_app(store=store, token=token), host=host, port=port, log_level="warning")
        return
    # each worker process builds the app from the environment (`create_app` reads both variables)
    store.close()
    os.environ["KURULTAI_DB"] = store.url
    if token is not None:
        os.environ["KURULTAI_API_TOKEN"] = token
    uvicorn.run("kurultai.api:create_app", factory=True, workers=workers, host=host, port=port, log_level="warning")


@app.command()
def errors(db: str | None = typer.Option(None, "--db", help=DB_HELP),
           limit: int = typer.Option(100, "--limit", min=1, max=100_000),
           as_json: bool = typer.Option(False, "--json")) -> None:
    """Sources that could not be stored (one per source, how often, when last), the latest first."""
    store = _store(db)
    try:
        total, items = store.errors(limit)
    finally:
        store.close()
    if as_json:
        sys.stdout.write(json.dumps({"total": total, "items": items}, ensure_ascii=False, indent=1) + "\n")
        return
    for e in items:
        sys.stdout.write(f"{e['last_seen'] or '-'}  x{e['times']}  {e['message']}\n")
    sys.stdout.write(f"{total} source{'s' if total != 1 else ''} failed\n")


@app.command()
def stats(db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Counts of documents, events, evidence and errors."""
    sys.stdout.write(json.dumps(_store(db).stats(), ensure_ascii=False, indent=1) + "\n")


@app.command()
@with_filters
def export(
    query,
    fmt: str = typer.Option(..., "--format", "-f", help="csv | jsonl | parquet | geojson | gexf | plover | gold"),
    out: Path = typer.Option(..., "--out", "-o", help="File to write (csv/parquet: also FILE.participants.EXT; "
                             "gold: a folder for `kurultai eval --gold`)."),
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most N events, newest first (default: all; gexf: ignored)."),
    nodes: str = typer.Option("country", "--nodes", help="gexf: country or person network."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Export the events matching the filters: csv, jsonl, parquet, geojson (places), gexf (network), plover;
    gold: the reviewed events of the documents found, as a gold folder for `kurultai eval`."""
    from kurultai import export as exporter

    for flag, value, allowed in (("--format", fmt, (*exporter.FORMATS, exporter.GOLD)), ("--nodes", nodes, exporter.NODES)):
        if value not in allowed:
            _fail(f"{flag}: {value!r} is not one of {', '.join(allowed)}")
    query.limit = limit
    store = _store(db)
    if fmt == exporter.GOLD:
        if out.exists() and not out.is_dir():
            raise typer.BadParameter(f"{out} is a file; gold is written to a folder", param_hint="--out")
        try:
            counts = exporter.write_gold(store, query, out)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--review") from None
        except OSError as exc:
            err.print(f"error: {out}: {exc.strerror or exc}", highlight=False)
            raise typer.Exit(code=1) from None
        typer.echo(f"wrote {out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
        return
    try:
        counts = exporter.write_export(store, fmt, query, out, nodes=nodes)
    except OSError as exc:
        err.print(f"error: {out}: {exc.strerror or exc}", highlight=False)
        raise typer.Exit(code=1) from None
    written = [str(out)] + ([str(exporter.participants_path(out))] if fmt in ("csv", "parquet") else [])
    typer.echo(f"wrote {' and '.join(written)}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
