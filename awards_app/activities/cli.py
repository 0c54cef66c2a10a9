"""`flask activities template|import`: the spreadsheet template, and an import with the same checks
and report as the web preview. (`flask activities export` is added by the exports feature, which
owns the file writers: awards_app/exports/cli.py.)"""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app, g
from flask_babel import force_locale

from awards_app.activities import importing, permissions, queries, services
from awards_app.activities.template import build_template
from awards_app.core import transactions


@click.group("activities")
def activities_group():
    """The programme's record of activities: template, import, export."""


@activities_group.command("template")
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The .xlsx to write.")
@click.option("--lang", "language", type=click.Choice(["ja", "en"]), default="ja", show_default=True)
def template_command(output: Path, language: str):
    """Write the spreadsheet template sites fill in."""
    output.write_bytes(build_template(language))
    click.echo(f"wrote the {language} template to {output}")


class _Operator:
    """The operator running a command: an administrator of the record, with no account (the audit
    log's actor is then the system)."""

    id = None
    is_authenticated = is_active = is_admin = True
    is_submitter = is_judge = False
    site_ids: tuple = ()


@activities_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--site", "site_code", default=None, help="Import as this site's own upload (its rows only).")
@click.option("--dry-run", is_flag=True, help="Check and report, write nothing.")
def import_command(path: Path, site_code: str | None, dry_run: bool):
    """Import a spreadsheet of activities (XLSX or CSV): all rows or none; exit status 1 on any error."""
    sites = queries.sites_by_code()
    site = None
    if site_code:
        site = sites.get(site_code.upper())
        if site is None:
            raise click.ClickException(f"unknown site code: {site_code}")
    operator = _Operator()
    config = current_app.config
    g.export_language = "en"
    with force_locale("en"):
        reading = importing.read_activities(
            path.name, path.read_bytes(), sites_by_code=sites, own_site=site,
            year_closed=lambda site_id, fy: permissions.closed_reason(operator, queries.reporting_year(fy)),
            max_bytes=config["ACTIVITY_IMPORT_MAX_MB"] * 1024 * 1024, max_rows=config["ACTIVITY_IMPORT_MAX_ROWS"])
        for notice in reading.notices:
            click.echo(f"note: {notice.message}")
        for error in reading.errors:
            where = ", ".join(part for part in (f"row {error.row}" if error.row else "",
                                                f"column {error.column} ({error.key})" if error.column else "") if part)
            click.echo(f"error: {where + ': ' if where else ''}{error.message}", err=True)
        if not reading.ok:
            click.echo(f"{len(reading.errors)} error(s): nothing imported", err=True)
            sys.exit(1)
        counts = services.classify(reading.rows)
        summary = f"{counts.created} new, {counts.updated} updated, {counts.unchanged} unchanged"
        if dry_run:
            click.echo(f"dry run: {summary}; nothing written")
            return
        try:
            services.import_activities(operator, reading.rows, filename=path.name, site=site)
        except services.ActivityError as error:
            raise click.ClickException(str(error)) from None
        transactions.commit()
        click.echo(f"imported {path.name}: {summary}")
