"""Claim link, evidence, event date and timeline commands: link, evidence, claim-date,
timeline. Claims are named by the ids ``newsreader claims`` shows."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from newsreader.cli.context import CliError, Context
from newsreader.cli.output import print_table
from newsreader.models import LINK_RELATIONS

if TYPE_CHECKING:
    from newsreader.models import ClaimLink, Evidence


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the commands to the subparsers ``sub``."""
    p = sub.add_parser(
        "link",
        parents=[common],
        help="link two claims: CLAIM supports|contradicts|repeats|supersedes CLAIM",
    )
    p.add_argument("source", type=int, metavar="CLAIM", help="the claim that relates")
    p.add_argument("relation", choices=LINK_RELATIONS, metavar="RELATION")
    p.add_argument("target", type=int, metavar="CLAIM", help="the claim it relates to")
    p.add_argument("--remove", action="store_true", help="remove that link instead")
    p.set_defaults(handler=cmd_link)

    p = sub.add_parser("evidence", parents=[common], help="list, add or remove a claim's sources")
    p.add_argument("claim", type=int, metavar="CLAIM")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--add", metavar="URL", help="cite a web address")
    what.add_argument(
        "--add-article", type=int, metavar="ID", help="cite an article (its url and title)"
    )
    what.add_argument("--remove", type=int, metavar="N", help="remove source N (as listed)")
    p.add_argument("--json", action="store_true", help="one JSON document")
    p.set_defaults(handler=cmd_evidence)

    p = sub.add_parser("claim-date", parents=[common], help="set when a claim was said or happened")
    p.add_argument("claim", type=int, metavar="CLAIM")
    p.add_argument("day", nargs="?", metavar="YYYY-MM-DD")
    p.add_argument("--clear", action="store_true", help="remove the claim's event date")
    p.set_defaults(handler=cmd_claim_date)

    p = sub.add_parser(
        "timeline",
        parents=[common],
        help="an actor's claims by event date (else the article's date)",
    )
    p.add_argument("actor", metavar="ACTOR", help="the actor's name or an alias (any case)")
    p.add_argument("--json", action="store_true", help="one JSON document")
    p.set_defaults(handler=cmd_timeline)


def _dump(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    print()


def _quote(text: str, width: int = 60) -> str:
    line = " ".join(text.split())
    return "«" + (line if len(line) <= width else line[: width - 1] + "…") + "»"


def link_json(link: ClaimLink, claim_id: int) -> dict[str, object]:
    """A link as ``claims --json`` lists it, from claim ``claim_id``: ``direction`` is
    "outgoing" (this claim <relation> target) or "incoming" (target <relation> this one);
    ``target_*`` is always the other claim."""
    other = link.other(claim_id)
    return {
        "id": link.id,
        "relation": link.relation,
        "direction": "outgoing" if link.source.id == claim_id else "incoming",
        "target_id": other.id,
        "target_uid": other.uid,
        "target_article_id": other.article_id,
        "target_quote": other.exact,
    }


def evidence_json(found: Evidence) -> dict[str, object]:
    """A source as ``evidence --json`` and ``claims --json`` list it."""
    return {"url": found.url, "title": found.title}


def cmd_link(ctx: Context, args: argparse.Namespace) -> int:
    """Link two claims (or, with --remove, unlink them)."""
    from newsreader.annotations import claimlinks, service

    try:
        if args.remove:
            claimlinks.unlink_claims(ctx.conn, args.source, args.relation, args.target)
            print(f"claim {args.source} no longer {args.relation} claim {args.target}")
            return 0
        link, new = claimlinks.link_claims(ctx.conn, args.source, args.relation, args.target)
    except service.USER_ERRORS as exc:
        raise CliError(str(exc)) from exc
    already = "" if new else " (already linked)"
    print(
        f"claim {link.source.id} {link.relation} claim {link.target.id}{already}: "
        f"{_quote(link.source.exact)} → {_quote(link.target.exact)}"
    )
    return 0


def _change_evidence(ctx: Context, args: argparse.Namespace) -> None:
    from newsreader.annotations import claimlinks

    if args.add is not None:
        claimlinks.add_evidence_url(ctx.conn, args.claim, args.add)
    elif args.add_article is not None:
        claimlinks.add_evidence_article(ctx.conn, args.claim, args.add_article)
    elif args.remove is not None:
        gone = claimlinks.remove_evidence(ctx.conn, args.claim, args.remove)
        if not args.json:
            print(f"removed source {args.remove}: {gone.url}")


def cmd_evidence(ctx: Context, args: argparse.Namespace) -> int:
    """List a claim's sources, after adding or removing one when asked."""
    from newsreader.annotations import claimlinks, service

    try:
        _change_evidence(ctx, args)
        found = claimlinks.evidence(ctx.conn, args.claim)
    except service.USER_ERRORS as exc:
        raise CliError(str(exc)) from exc
    if args.json:
        _dump([evidence_json(e) for e in found])
        return 0
    if not found:
        print(f"claim {args.claim} cites no sources")
    for number, e in enumerate(found, 1):
        print(f"{number}. {e.url}" + (f"  ({e.title})" if e.title else ""))
    return 0


def cmd_claim_date(ctx: Context, args: argparse.Namespace) -> int:
    """Set or clear when a claim was said or happened."""
    from newsreader.annotations import claimlinks, service

    if (args.day is None) == (not args.clear):
        raise CliError("give a date (YYYY-MM-DD) or --clear")
    try:
        claim = claimlinks.set_event_date(ctx.conn, args.claim, None if args.clear else args.day)
    except service.USER_ERRORS as exc:
        raise CliError(str(exc)) from exc
    day = claim.event_date or "no event date (the article's date is used)"
    print(f"claim {claim.id}: {day}")
    return 0


def cmd_timeline(ctx: Context, args: argparse.Namespace) -> int:
    """An actor's claims (by and about them) in the order they were said or happened."""
    from newsreader.annotations import claimlinks, service

    actor = service.find_actor_named(ctx.conn, args.actor)
    if actor is None:
        raise CliError(f"no actor named {args.actor!r}")
    entries = claimlinks.timeline(ctx.conn, actor.id)
    if args.json:
        _dump(
            [
                {
                    "claim_id": e.claim.id,
                    "date": e.day or None,
                    "dated_by": e.dated_by or None,
                    "event_date": e.claim.event_date,
                    "article_date": claimlinks.article_day(e.claim.snapshot.published) or None,
                    "role": e.role,
                    "status": e.claim.status,
                    "speaker": e.claim.speaker_name,
                    "article_id": e.claim.article_id,
                    "article_title": e.claim.snapshot.title,
                    "exact": e.claim.exact,
                }
                for e in entries
            ]
        )
        return 0
    rows = [
        (
            e.day or "undated",
            e.dated_by or "-",
            e.role,
            e.claim.status or "",
            str(e.claim.id),
            e.claim.snapshot.title,
            _quote(e.claim.exact),
        )
        for e in entries
    ]
    print_table(("date", "dated by", "role", "status", "claim", "article", "quote"), rows)
    return 0
