"""The `kurultai` command."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Kurultai: diplomatic events from news.")
err = Console(stderr=True)


def _parse_day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _expand(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(x for x in p.rglob("*.txt") if x.is_file()))
        else:
            out.append(p)
    return out


@app.command()
def extract(
    files: list[Path] = typer.Argument(..., help="Articles (.txt, any encoding); folders are searched for *.txt."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write NAME.json per input here (default: stdout)."),
    published: str | None = typer.Option(None, "--published", help="Publication date YYYY-MM-DD, when the text lacks it."),
) -> None:
    """Extract diplomatic events: one extraction (shared schema) per input file."""
    from kurultai.clean import InputError
    from kurultai.pipeline import Pipeline

    day = _parse_day(published)
    paths = _expand(files)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    pipeline = Pipeline()
    failures = 0
    show = out is not None and len(paths) > 1 and err.is_terminal
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, disable=not show) as progress:
        task = progress.add_task("extracting", total=len(paths))
        for path in paths:
            try:
                if not path.is_file():
                    raise InputError("no such file" if not path.exists() else "not a regular file")
                result = pipeline.run_path(path, day)
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
) -> None:
    """Score extractions against gold annotations: per-field P/R/F1 (the shared scorer's measure)."""
    from kurultai.evaluate import extract_gold_dir, render, score

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
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render(result))


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
