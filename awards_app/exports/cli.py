"""`flask --app awards_app export nominations|scores|results --cycle FY2013 --format csv|xlsx
--output PATH`: the admin page's downloads, for scheduled jobs."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
from flask import current_app, g
from flask_babel import force_locale

from awards_app.cycles.queries import get_cycle_by_label, list_cycle_labels
from awards_app.exports import services


@click.command("export")
@click.argument("kind", type=click.Choice(services.KINDS))
@click.option("--cycle", "cycle_label", required=True, metavar="FY2013", help="The cycle, e.g. FY2013.")
@click.option("--format", "fmt", type=click.Choice(services.FORMATS), default="xlsx", show_default=True,
              help="csv (the results: a ZIP of one CSV per section) or xlsx.")
@click.option("--output", type=click.Path(file_okay=True, dir_okay=True, path_type=Path), default=None,
              help="File to write, or a folder to write the usual file name into (default: current folder).")
@click.option("--lang", "language", type=click.Choice(["ja", "en"]), default=None,
              help="Language of headers and words in cells (default: the app's default language).")
def export_command(kind: str, cycle_label: str, fmt: str, output: Path | None, language: str | None):
    """Write one export of a cycle to a file (the same file as the admin page's download)."""
    cycle = get_cycle_by_label(cycle_label)
    if cycle is None:
        known = ", ".join(list_cycle_labels()) or "none"
        raise click.ClickException(f"unknown cycle: {cycle_label} (known cycles: {known})")
    language = language or current_app.config["BABEL_DEFAULT_LOCALE"]
    # Flask-Babel's force_locale does nothing while `g` is empty, as it is in a command.
    g.export_language = language
    with force_locale(language):
        export = services.build_export(cycle, kind, fmt)
        target = output or Path.cwd()
        if target.is_dir():
            target = target / export.filename
        _write_atomically(target, export.chunks)
    click.echo(f"wrote {kind} of {cycle.label} ({fmt}, {export.rows} rows) to {target}")


def _write_atomically(target: Path, chunks) -> None:
    """Write to a temporary file beside `target`, then rename: a job that picks the file up never
    sees half of it, and a failed export leaves the previous file in place."""
    if not target.parent.is_dir():
        raise click.ClickException(f"no such folder: {target.parent}")
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@click.command("export")
@click.option("--fy", "fiscal_year", required=True, type=int, metavar="2013", help="The fiscal year, e.g. 2013.")
@click.option("--format", "fmt", type=click.Choice(services.FORMATS), required=True)
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The file to write.")
@click.option("--lang", "language", type=click.Choice(["ja", "en"]), default="en", show_default=True,
              help="Language of the headers; the file imports again as it is.")
def activities_export_command(fiscal_year: int, fmt: str, output: Path, language: str):
    """Write every activity of a fiscal year, in the columns of the import template (`flask
    activities export`)."""
    export = services.build_activity_export(fiscal_year, fmt, language)
    _write_atomically(output, export.chunks)
    click.echo(f"wrote {export.rows} activities of FY{fiscal_year} ({fmt}) to {output}")
