"""`flask --app awards_app certificates --cycle FY2013 --output DIR`: every certificate in force of
a cycle as PDF files, e.g. for printing or for a scheduled archive."""
from __future__ import annotations

import re
from pathlib import Path

import click

from awards_app.certificates import queries, services
from awards_app.cycles.queries import get_cycle_by_label


def _base_url(option: str | None) -> str | None:
    """Where the QR codes point. Outside a request there is no address to take it from."""
    from flask import current_app

    if option:
        if not re.match(r"https?://[^/\s]+", option):
            raise click.BadParameter("give an absolute http(s) address, e.g. https://awards.example.com", param_hint="--base-url")
        return option
    if current_app.config.get("PUBLIC_BASE_URL") or current_app.config.get("SERVER_NAME"):
        return None  # services.verify_url uses them
    raise click.UsageError(
        "the certificates' QR codes need the site's public address: pass --base-url https://… "
        "(or set PUBLIC_BASE_URL)"
    )


@click.command("certificates")
@click.option("--cycle", "cycle_label", required=True, help="The cycle, e.g. FY2013.")
@click.option(
    "--output", required=True, type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the PDF files into (created if missing).",
)
@click.option("--base-url", help="Public address of the site, for the QR codes (default: PUBLIC_BASE_URL).")
def certificates_command(cycle_label: str, output: Path, base_url: str | None):
    """Write every certificate in force of a cycle as PDF files."""
    cycle = get_cycle_by_label(cycle_label)
    if cycle is None:
        raise click.ClickException(f"unknown cycle {cycle_label!r} (give it as FY2013)")
    base = _base_url(base_url)
    certificates = queries.list_current_certificates(cycle.id)
    if not certificates:
        click.echo(f"{cycle.label} has no certificate in force: nothing written")
        return
    output.mkdir(parents=True, exist_ok=True)
    for certificate in certificates:
        path = output / certificate.filename
        path.write_bytes(services.certificate_pdf(certificate, base))
        click.echo(f"wrote {path}  ({certificate.award_name_en}, {certificate.site_name_en})")
    click.echo(f"{len(certificates)} certificate(s) of {cycle.label} written to {output}")
