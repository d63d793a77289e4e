"""Annotation commands: annotate, claim edit, note, actors, actor add / show, claims."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from newsreader.cli.context import CliError, Context
from newsreader.cli.output import format_time, iso_time, print_table
from newsreader.models import ACTOR_KINDS, ANNOTATION_KINDS, CLAIM_STATUSES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from newsreader.annotations.service import ActorRef, ClaimFields, Keep
    from newsreader.models import Annotation, ClaimLink, Evidence

CLAIM_KEYS = (
    "id",
    "article_id",
    "article_title",
    "exact",
    "speaker",
    "about",
    "status",
    "note",
    "orphaned",
    "edited_after_marked",
    "quote_as_marked",
    "event_date",
    "links",
    "evidence",
)
"""The stable keys of ``claims --json`` (a documented contract for scripts).
``edited_after_marked``: the article's text changed after the claim was made and its
quote is no longer there as it was; ``quote_as_marked`` is the quote as it was made
(``exact`` follows the text). ``event_date``: when it was said or happened (YYYY-MM-DD or
null); ``links``: its links to other claims (``relation``, ``direction`` "outgoing" or
"incoming", ``target_id``, ``target_uid``, ``target_article_id``, ``target_quote``: the
other claim); ``evidence``: its sources (``url``, ``title``)."""
ACTOR_KEYS = (
    "id",
    "name",
    "kind",
    "aliases",
    "description",
    "claims_by",
    "claims_about",
    "mentions",
    "tagged_mentions",
)
"""The stable keys of ``actors --json``. ``mentions`` counts every place the actor is
marked in article text (tagged, or found by name or alias, as the reader marks them; a tag
on a found name counts once); ``tagged_mentions`` how many of those are tagged."""


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the annotation commands to the subparsers ``sub``."""
    p = sub.add_parser(
        "annotate",
        parents=[common],
        help="mark a quote of an article as a claim, mention or highlight",
    )
    p.add_argument("article", type=int, metavar="ARTICLE")
    p.add_argument("--quote", required=True, metavar="TEXT", help="the exact text to mark")
    p.add_argument("--kind", choices=ANNOTATION_KINDS, default="claim", help="(claim)")
    p.add_argument(
        "--occurrence",
        type=_positive,
        metavar="N",
        help="which occurrence of the quote, when it occurs more than once",
    )
    p.add_argument("--speaker", metavar="NAME", help="who made the claim (a known actor)")
    p.add_argument(
        "--about",
        action="append",
        default=[],
        metavar="NAME",
        help="an actor the claim is about (repeatable)",
    )
    p.add_argument("--status", choices=CLAIM_STATUSES, help="a claim's status (unverified)")
    p.add_argument(
        "--actor",
        metavar="NAME",
        help="the actor a mention tags (default: the actor named by the quote)",
    )
    p.add_argument("--note", default="", metavar="TEXT", help="a Markdown note")
    p.set_defaults(handler=cmd_annotate)

    p = sub.add_parser("claim", parents=[common], help="change a claim")
    claim_sub = p.add_subparsers(title="claim commands", metavar="ACTION", required=True)
    c = claim_sub.add_parser(
        "edit",
        parents=[common],
        help="change a claim's speaker, about actors, status, note",
        description="Change what a claim says; options not given leave it as it is. An "
        "unknown actor name registers a new actor (of --new-kind).",
    )
    c.add_argument("claim", type=int, metavar="ID", help="the claim's id (see: claims)")
    c.add_argument(
        "--status",
        choices=CLAIM_STATUSES,
        help="its status (the change is kept, dated, in its history)",
    )
    c.add_argument("--note", metavar="TEXT", help='its Markdown note ("" removes it)')
    c.add_argument("--speaker", metavar="NAME", help="who made the claim")
    c.add_argument("--no-speaker", action="store_true", help="the speaker is not known")
    c.add_argument(
        "--about",
        action="append",
        metavar="NAME",
        help="an actor it is about (repeatable; replaces the ones it had)",
    )
    c.add_argument("--no-about", action="store_true", help="it is about no actor")
    c.add_argument(
        "--new-kind",
        choices=ACTOR_KINDS,
        default="person",
        help="the kind of actors registered from new names (person)",
    )
    c.set_defaults(handler=cmd_claim_edit)

    p = sub.add_parser("note", parents=[common], help="write a note on a whole article")
    p.add_argument("article", type=int, metavar="ARTICLE")
    p.add_argument("text", metavar="TEXT", help="the note, in Markdown")
    p.set_defaults(handler=cmd_note)

    p = sub.add_parser("actors", parents=[common], help="list actors with their counts")
    p.add_argument("--json", action="store_true", help="one JSON document")
    p.set_defaults(handler=cmd_actors)

    p = sub.add_parser("actor", parents=[common], help="add an actor or show one's activity")
    actor_sub = p.add_subparsers(title="actor commands", metavar="ACTION", required=True)
    a = actor_sub.add_parser("add", parents=[common], help="register an actor")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--kind", choices=ACTOR_KINDS, default="other", help="(other)")
    a.add_argument(
        "--alias",
        action="append",
        default=[],
        metavar="A",
        help="another name it goes by (repeatable)",
    )
    a.add_argument("--description", default="", metavar="TEXT")
    a.set_defaults(handler=cmd_actor_add)
    a = actor_sub.add_parser(
        "show", parents=[common], help="every claim by or about an actor and every mention"
    )
    a.add_argument("name", metavar="NAME")
    a.add_argument("--json", action="store_true", help="one JSON document")
    a.set_defaults(handler=cmd_actor_show)

    p = sub.add_parser("claims", parents=[common], help="list claims, newest article first")
    p.add_argument("--actor", metavar="NAME", help="only claims by or about this actor")
    p.add_argument("--status", choices=CLAIM_STATUSES, help="only claims with this status")
    p.add_argument("--json", action="store_true", help="one JSON document")
    p.set_defaults(handler=cmd_claims)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _dump(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    print()


def _one_line(text: str, width: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def cmd_annotate(ctx: Context, args: argparse.Namespace) -> int:
    """Anchor a claim, mention or highlight on a quote of an article."""
    from newsreader.annotations import service

    conn = ctx.conn
    try:
        fields: dict[str, Any] = {"note": args.note}
        if args.kind == "claim":
            fields["status"] = args.status or "unverified"
            fields["speaker_id"] = (
                service.resolve_actor(conn, args.speaker).id if args.speaker else None
            )
            fields["about_ids"] = [service.resolve_actor(conn, n).id for n in args.about]
        elif args.speaker or args.about or args.status:
            raise CliError("--speaker, --about and --status apply to claims only")
        if args.kind == "mention":
            fields["actor_id"] = service.resolve_actor(conn, args.actor or args.quote).id
        elif args.actor:
            raise CliError("--actor applies to mentions only")
        made = service.create_from_quote(
            conn, args.article, args.quote, args.kind, args.occurrence, **fields
        )
    except service.USER_ERRORS as exc:
        raise CliError(str(exc)) from exc
    print(
        f"{made.kind} {made.id} on article {made.article_id} "
        f"[{made.start}:{made.end}]: {_one_line(made.exact)}"
    )
    return 0


def _claim_fields(args: argparse.Namespace) -> ClaimFields:
    """What ``claim edit`` changes, from its options (KEEP for those not given)."""
    from newsreader.annotations.service import KEEP, ActorRef, ClaimFields

    if args.speaker is not None and args.no_speaker:
        raise CliError("--speaker and --no-speaker exclude each other")
    if args.about is not None and args.no_about:
        raise CliError("--about and --no-about exclude each other")
    speaker: ActorRef | None | Keep = KEEP
    if args.speaker is not None:
        speaker = ActorRef(name=args.speaker)
    elif args.no_speaker:
        speaker = None
    about: tuple[ActorRef, ...] | Keep = KEEP
    if args.about is not None or args.no_about:
        about = tuple(ActorRef(name=name) for name in args.about or ())
    fields = ClaimFields(
        speaker=speaker,
        about=about,
        status=KEEP if args.status is None else args.status,
        note=KEEP if args.note is None else args.note,
        new_kind=args.new_kind,
    )
    if fields == ClaimFields(new_kind=args.new_kind):
        raise CliError(
            "nothing to change: give --status, --note, --speaker, --no-speaker, "
            "--about or --no-about"
        )
    return fields


def cmd_claim_edit(ctx: Context, args: argparse.Namespace) -> int:
    """Change a claim's speaker, about actors, status and note (as the TUI's claim dialog)."""
    from newsreader.annotations import service

    fields = _claim_fields(args)
    try:
        saved = service.edit_claim(ctx.conn, args.claim, fields)
    except service.USER_ERRORS as exc:
        raise CliError(str(exc)) from exc
    for actor in saved.created:
        print(f"new actor {actor.id}: {actor.name}, {actor.kind}")
    claim = saved.claim
    about = ", ".join(name for _, name in claim.about) or "-"
    print(
        f"claim {claim.id} on article {claim.article_id or '-'}: {claim.status}, "
        f"speaker {claim.speaker_name or '-'}, about {about}: {_one_line(claim.exact, 60)}"
    )
    return 0


def cmd_note(ctx: Context, args: argparse.Namespace) -> int:
    """Write a Markdown note on a whole article (the TUI's N away from any annotation)."""
    from newsreader.annotations import service

    try:
        note = service.add_note(ctx.conn, args.article, args.text)
    except service.USER_ERRORS as exc:
        raise CliError(str(exc)) from exc
    print(f"note {note.id} on article {note.article_id}: {_one_line(note.body, 60)}")
    return 0


def cmd_actors(ctx: Context, args: argparse.Namespace) -> int:
    """List every actor with counts of claims by and about them and of mentions (tagged
    and found by name)."""
    from newsreader.annotations.mentions import actor_summaries, refresh_name_matches

    refresh_name_matches(ctx.conn)
    summaries = actor_summaries(ctx.conn)
    if args.json:
        _dump(
            [
                {
                    "id": s.actor.id,
                    "name": s.actor.name,
                    "kind": s.actor.kind,
                    "aliases": list(s.actor.aliases),
                    "description": s.actor.description,
                    "claims_by": s.claims_by,
                    "claims_about": s.claims_about,
                    "mentions": s.mentions,
                    "tagged_mentions": s.tagged,
                }
                for s in summaries
            ]
        )
        return 0
    rows = [
        (
            str(s.actor.id),
            s.actor.name,
            s.actor.kind,
            str(s.claims_by),
            str(s.claims_about),
            str(s.mentions),
            str(s.tagged),
            ", ".join(s.actor.aliases),
        )
        for s in summaries
    ]
    print_table(("id", "name", "kind", "by", "about", "mentions", "tagged", "aliases"), rows)
    return 0


def cmd_actor_add(ctx: Context, args: argparse.Namespace) -> int:
    """Register an actor with its aliases."""
    from newsreader.store.actors import ActorError, add_actor

    try:
        actor = add_actor(ctx.conn, args.name, args.kind, args.alias, args.description)
    except ActorError as exc:
        raise CliError(str(exc)) from exc
    aliases = f" (aliases: {', '.join(actor.aliases)})" if actor.aliases else ""
    print(f"actor {actor.id}: {actor.name}, {actor.kind}{aliases}")
    return 0


def cmd_actor_show(ctx: Context, args: argparse.Namespace) -> int:
    """Every claim by or about an actor and their mentions (tagged and found by name)
    article by article, newest first."""
    from newsreader.annotations import service
    from newsreader.annotations.mentions import actor_activity, refresh_name_matches

    try:
        actor = service.resolve_actor(ctx.conn, args.name)
    except service.USER_ERRORS as exc:
        raise CliError(str(exc)) from exc
    refresh_name_matches(ctx.conn)
    activity = actor_activity(ctx.conn, actor.id)
    if args.json:
        _dump(
            [
                {
                    "annotation_id": a.annotation_id,
                    "role": a.role,
                    "kind": a.kind,
                    "article_id": a.article_id,
                    "article_title": a.article_title,
                    "feed_title": a.feed_title,
                    "published": iso_time(a.published),
                    "start": a.start,
                    "end": a.end,
                    "exact": a.exact,
                    "status": a.status,
                    "orphaned": a.orphaned,
                    "count": a.count,
                }
                for a in activity
            ]
        )
        return 0
    rows = [
        (
            format_time(a.published),
            a.feed_title,
            a.role,
            a.status or (f"×{a.count}" if a.role == "mention" else ""),
            a.article_title,
            _one_line(a.exact, 60),
        )
        for a in activity
    ]
    print_table(("published", "outlet", "role", "status", "article", "quote"), rows)
    return 0


def claim_json(
    claim: Annotation,
    as_marked: str | None = None,
    links: Sequence[ClaimLink] = (),
    evidence: Sequence[Evidence] = (),
) -> dict[str, object]:
    """A claim as the stable JSON object of ``claims --json`` (keys: CLAIM_KEYS);
    ``as_marked`` is its quote as made when it was edited after it was marked."""
    from newsreader.cli.claimlinks import evidence_json, link_json

    return {
        "id": claim.id,
        "article_id": claim.article_id,
        "article_title": claim.snapshot.title,
        "exact": claim.exact,
        "speaker": claim.speaker_name,
        "about": [name for _, name in claim.about],
        "status": claim.status,
        "note": claim.note,
        "orphaned": claim.orphaned,
        "edited_after_marked": as_marked is not None,
        "quote_as_marked": claim.exact if as_marked is None else as_marked,
        "event_date": claim.event_date,
        "links": [link_json(link, claim.id) for link in links],
        "evidence": [evidence_json(e) for e in evidence],
    }


def cmd_claims(ctx: Context, args: argparse.Namespace) -> int:
    """List claims, optionally by or about one actor and with one status."""
    from newsreader.annotations import service
    from newsreader.store.annotations import list_claims
    from newsreader.store.claimlinks import evidence_of, links_of
    from newsreader.store.revisions import edited_annotations

    actor_id = None
    if args.actor:
        try:
            actor_id = service.resolve_actor(ctx.conn, args.actor).id
        except service.USER_ERRORS as exc:
            raise CliError(str(exc)) from exc
    claims = list_claims(ctx.conn, actor_id, args.status)
    edited = edited_annotations(ctx.conn)
    if args.json:
        ids = [c.id for c in claims]
        links, sources = links_of(ctx.conn, ids), evidence_of(ctx.conn, ids)
        _dump(
            [
                claim_json(c, edited.get(c.id), links.get(c.id, ()), sources.get(c.id, ()))
                for c in claims
            ]
        )
        return 0
    rows = [
        (
            str(c.id),
            str(c.article_id or "-"),
            c.status or "",
            c.speaker_name or "-",
            ", ".join(n for _, n in c.about),
            ("orphaned: " if c.orphaned else "")
            + ("edited after you marked it: " if c.id in edited else "")
            + _one_line(c.exact, 70),
        )
        for c in claims
    ]
    print_table(("id", "article", "status", "speaker", "about", "claim"), rows)
    return 0
