"""`flask --app awards_app ranking --cycle FY2013 --region japan|overseas
[--method adjusted|weighted|normalised] [--what-if] [--format table|json]`: a region's ranking,
as the ranking page computes it, or with --what-if the proposal of each of the region's awards
under other methods and weights (as the awards page shows it), for scripts and for checking by
hand."""
from __future__ import annotations

import json

import click

from awards_app.core.enums import Region
from awards_app.cycles.queries import get_cycle_by_label, list_cycle_labels
from awards_app.judging.queries import Ranking, get_ranking
from awards_app.judging.scoring import SORT_KEYS
from awards_app.judging.whatif import WhatIf, get_what_if


def ranking_records(ranking: Ranking) -> list[dict]:
    """One plain record per nomination, in rank order (the keys of `--format json`). `reviews`
    counts the reviews done (scored sheets and abstentions), as the page does; `proposed` marks
    the proposal, which follows the cycle's method whatever the sort."""
    records = []
    for row in ranking.rows:
        nomination = ranking.nominations[row.nomination_id]
        records.append({
            "rank": row.rank,
            "nomination_id": row.nomination_id,
            "title": nomination.display_title,
            "site_code": nomination.site.code,
            "reviews": row.submitted + row.abstentions,
            "assigned": row.assigned,
            "weighted_mean": row.weighted_mean,
            "normalised": row.normalised,
            "adjusted": row.adjusted,
            "adjusted_low": row.adjusted_low,
            "adjusted_high": row.adjusted_high,
            "p_top": row.p_top,
            "flags": row.flag_codes(),
            "proposed": row.nomination_id == ranking.proposal.nomination_id,
        })
    return records


def what_if_records(cycle, region: Region, what_if: WhatIf) -> list[dict]:
    """One record per award category of the region × scenario (the keys of `--what-if --format
    json`): `scenario` is a stable code (cycle, method:weighted, half:novelty, double:novelty,
    equal), `weights` criterion key → weight, `winner_nomination_id` null when the scenario
    proposes no single nomination (a tie at the top, or nothing scored)."""
    return [
        {"category": category.key, "scenario": scenario.code, "method": scenario.method,
         "weights": scenario.weights, "winner_nomination_id": scenario.winner_id,
         "tied_nomination_ids": list(scenario.proposal.tied_ids), "robust": what_if.robust}
        for category in cycle.award_categories if category.region == region
        for scenario in what_if.scenarios
    ]


def _figure(value, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


@click.command("ranking")
@click.option("--cycle", "cycle_label", required=True, metavar="FY2013", help="The cycle, e.g. FY2013.")
@click.option("--region", type=click.Choice([r.value for r in Region]), required=True)
@click.option("--method", type=click.Choice(list(SORT_KEYS)), default=None,
              help="Sort by this figure (default: the cycle's method, which the proposal follows).")
@click.option("--what-if", "what_if", is_flag=True,
              help="Print the proposal of the region's awards under each other method and weight change.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def ranking_command(cycle_label: str, region: str, method: str | None, what_if: bool, fmt: str):
    """Print a region's ranking (or, with --what-if, its awards' what-if)."""
    cycle = get_cycle_by_label(cycle_label)
    if cycle is None:
        known = ", ".join(list_cycle_labels()) or "none"
        raise click.ClickException(f"unknown cycle: {cycle_label} (known cycles: {known})")
    ranking = get_ranking(cycle, Region(region), method)
    if what_if:
        _print_what_if(what_if_records(cycle, Region(region), get_what_if(cycle, ranking)), fmt)
        return
    records = ranking_records(ranking)
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    site = max([4, *(len(r["site_code"]) for r in records)])  # the column fits the longest code
    click.echo(f"{'rank':>4}  {'id':>6}  {'site':<{site}}  {'reviews':>7}  {'adjusted':>8}  {'90 % interval':>13}  "
               f"{'p_top':>5}  {'weighted':>8}  {'normalised':>10}  title [flags]")
    for r in records:
        interval = f"{_figure(r['adjusted_low'])}–{_figure(r['adjusted_high'])}" if r["adjusted"] is not None else "—"
        flags = ", ".join(r["flags"] + (["proposed"] if r["proposed"] else []))
        click.echo(f"{r['rank'] if r['rank'] is not None else '—':>4}  {r['nomination_id']:>6}  {r['site_code']:<{site}}  "
                   f"{r['reviews']:>3}/{r['assigned']:<3}  {_figure(r['adjusted']):>8}  {interval:>13}  "
                   f"{_figure(r['p_top']):>5}  {_figure(r['weighted_mean']):>8}  {_figure(r['normalised']):>10}  "
                   f"{r['title']}{f' [{flags}]' if flags else ''}")


def _print_what_if(records: list[dict], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'category':<16}  {'scenario':<28}  {'method':<10}  {'weights':<56}  winner")
    for r in records:
        weights = ", ".join(f"{key} {value:g}" for key, value in r["weights"].items())
        winner = r["winner_nomination_id"] if r["winner_nomination_id"] is not None else (
            "tie " + " ".join(map(str, r["tied_nomination_ids"])) if r["tied_nomination_ids"] else "—")
        click.echo(f"{r['category']:<16}  {r['scenario']:<28}  {r['method']:<10}  {weights:<56}  {winner}")
    for category in dict.fromkeys(r["category"] for r in records):
        robust = next(r["robust"] for r in records if r["category"] == category)
        click.echo(f"{category}: {'robust' if robust else 'NOT robust'}")
