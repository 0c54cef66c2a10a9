"""Operator commands: `flask --app awards_app <command>`."""
from __future__ import annotations

import sys

import click
from flask import current_app
from sqlalchemy import select

from awards_app.accounts import services as account_services
from awards_app.accounts.models import ROLES
from awards_app.accounts.passwords import password_problem
from awards_app.certificates.cli import certificates_command
from awards_app.core import transactions
from awards_app.core.checks import run_checks
from awards_app.activities.cli import activities_group
from awards_app.exports.cli import activities_export_command, export_command
from awards_app.extensions import db
from awards_app.judging.cli import ranking_command
from awards_app.sites.models import Site


@click.command("create-user")
@click.option("--email", required=True, help="Login e-mail address.")
@click.option("--name", required=True, help="Display name.")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES), help="Repeat for several roles.")
@click.option("--site", "site_codes", multiple=True, help="Site code the user belongs to; repeat for several.")
@click.option("--locale", default="ja", type=click.Choice(["ja", "en"]), show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email, name, roles, site_codes, locale, password_stdin):
    """Create an account (for example the first admin)."""
    password = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        problem = password_problem(password)
        if problem:
            raise click.ClickException(f"password refused: {problem}")
    sites = db.session.scalars(select(Site).where(Site.code.in_([c.upper() for c in site_codes]))).all()
    unknown = {c.upper() for c in site_codes} - {s.code for s in sites}
    if unknown:
        raise click.ClickException(f"unknown site code(s): {', '.join(sorted(unknown))}")
    try:
        user = account_services.create_user(
            None, email=email, name=name, roles=list(roles), site_ids=[s.id for s in sites],
            locale=locale, password=password,
        )
    except account_services.AccountError as error:
        raise click.ClickException(str(error)) from None
    transactions.commit()
    click.echo(f"created user {user.email} ({', '.join(user.roles)})")
    if not password:
        click.echo("no password set: create an invitation link from the Users page")


@click.command("seed-demo")
def seed_demo_command():
    """Load the demo data (idempotent: only what is missing is added)."""
    from awards_app.demo import DEMO_PASSWORD, seed_demo

    summary = seed_demo()
    transactions.commit()
    click.echo(summary)
    click.echo("")
    click.echo("Demo logins (password for all: %s):" % DEMO_PASSWORD)
    click.echo("  admin      admin@example.com")
    click.echo("  judge      judge1@example.com … judge6@example.com")
    click.echo("  submitter  submitter.tokyo@example.com (Japan), submitter.london@example.com (overseas), …")


@click.command("check")
def check_command():
    """Verify the configuration: secret key, upload folder, database, migrations, fonts, public address,
    login limits.

    Strict by default, as on a server: the development secret key and a missing PUBLIC_BASE_URL are
    accepted only in debug mode (FLASK_DEBUG=1) or testing. Exits 1 if any check fails.
    """
    results = run_checks(current_app)
    for result in results:
        click.echo(f"{'ok' if result.ok else 'FAILED':<7} {result.name}: {result.message}")
    if not all(result.ok for result in results):
        sys.exit(1)


@click.command("worker")
@click.option("--workers", type=int, default=None,
              help="Threads running tasks at once (default: HUEY_WORKERS, 2).")
@click.option("--no-periodic", is_flag=True, help="Do not run the periodic tasks (another consumer does).")
def worker_command(workers, no_periodic):
    """Run a job-queue consumer: sends the outbox's mail and runs the periodic tasks.

    Ctrl-C (SIGINT) stops after the tasks running now; SIGTERM stops at once (a task cut short is
    run again: each one is safe to repeat). Run several, on one machine or many, on a shared queue
    (HUEY_URL): each task goes to one of them."""
    import logging

    from awards_app.core.queue import describe_storage, huey

    if not logging.root.handlers:  # huey logs its progress; show it
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    click.echo(f"job queue: {describe_storage()}")
    consumer = huey.create_consumer(workers=workers or current_app.config["HUEY_WORKERS"], worker_type="thread",
                                    periodic=not no_periodic, check_worker_health=True)
    consumer.run()


def init_app(app) -> None:
    app.cli.add_command(worker_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(certificates_command)
    app.cli.add_command(export_command)
    activities_group.add_command(activities_export_command)
    app.cli.add_command(activities_group)
    app.cli.add_command(ranking_command)
    app.cli.add_command(check_command)
