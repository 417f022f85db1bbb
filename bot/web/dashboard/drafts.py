"""From an officer's answer to content: a draft FAQ entry, its YAML snippet, and `content check` on it.

An officer answered a resident in a handover, or an inbox group of unanswered questions has an
answer: the draft takes the question variants (the resident's messages before the reply, the
group's wordings) and the answer, builds the entry as content/faq/*.yaml writes it, and runs the
same checks as `python -m bot content check` on a copy of the live content with the draft added.
The dashboard offers the snippet to copy or download; staff add it to content/ themselves (the
bot never edits its own content). Every draft is kept with who made it and when.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import tempfile
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import yaml
from aiohttp import web

from bot.engine.requirements import CHECKS as CODE_NEEDS
from bot.knowledge.content import load_content
from bot.knowledge.source import Problem
from bot.reports import question_key
from bot.storage import drafts as store
from bot.storage import handover
from bot.web.dashboard.auth import STAFF
from bot.web.dashboard.context import REPORTS, SERVICE, content_of, group_key, lang_of, report_of, scope_of
from bot.web.dashboard.conversations import earlier_turns
from bot.web.dashboard.problems import explain

MAX_QUESTIONS, MAX_ANSWER = 20, 4000


def slug(title: str) -> str:
    """'Obat demam anak' -> 'obat_demam_anak' (the entry's id)."""
    spaced = re.sub(r"[\W_]+", " ", title)  # punctuation and dashes part words before accents are dropped
    plain = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")[:40] or "draf"


class _Block(str):
    """A multi-line answer written as a YAML block (|), as the content files do."""


def _block(dumper: yaml.SafeDumper, text: _Block) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(text), style="|")


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # "  - item" under its key, as the content files are written


_Dumper.add_representer(_Block, _block)


def snippet(form: dict[str, Any], officer: str, today: date) -> str:
    """The draft as a content/faq file of one entry (the header says where it came from)."""
    entry = {
        "id": form["id"],
        "title": {"id": form["title"]},
        "topic": form["topic"],
        "questions": form["questions"],
        "answer": {"id": _Block(form["answer"].rstrip() + "\n")},
        "source": form["source"],
        "reviewed": today,
    }
    body = yaml.dump({"entries": [entry]}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    head = (
        f"# Draf FAQ dari dasbor ({officer}, {today}). Periksa isinya, lengkapi terjemahan (en) dan sumbernya,\n"
        "# lalu simpan sebagai berkas di content/faq/ atau salin entrinya ke berkas topik yang cocok.\n"
    )
    return head + body


def check_snippet(content_dir: Path, name: str, text: str) -> tuple[bool, list[Problem]]:
    """`content check` on a copy of the content with the draft added: (no errors, its problems)."""
    with tempfile.TemporaryDirectory(prefix="tanyasehat-draft-") as tmp:
        copy = Path(tmp) / "content"
        shutil.copytree(content_dir, copy)
        (copy / "faq" / name).write_text(text, encoding="utf-8")
        _content, problems = load_content(copy, CODE_NEEDS)
    mine = [p for p in problems if not p.warning or p.file.endswith(name)]  # the content's own warnings stay out
    return not problems.errors, mine


async def _prefill(request: web.Request) -> dict[str, Any]:
    """The form's first values: from an officer's reply (?event=) or an inbox group (?group=)."""
    service = request.app[SERVICE]
    office = content_of(request).office
    found: dict[str, Any] = {"questions": [], "answer": "", "group_key": "", "title": "", "topic": "umum",
                             "source": office.name, "id": ""}  # fmt: skip
    report = await report_of(request)
    wording = request.app[REPORTS].wording(content_of(request))
    groups = [(group_key(request, question_key(g.example, wording)), g,
               {question_key(v, wording) for v, _ in g.variants}) for g in report.unanswered]  # fmt: skip
    event = request.query.get("event", "")
    group = request.query.get("group", "")
    if event.isdigit():
        for a in await handover.answered(service.db):
            owner = await handover.get(service.db, a.handover_id) if a.event_id == int(event) else None
            if owner is not None and scope_of(request).holds(owner.office):  # a reply of this login's office
                found["questions"], found["answer"] = list(a.questions), a.reply
                case = await handover.get(service.db, a.handover_id) if a.first else None
                if case is not None:  # what the bot could not answer just before the resident asked for a person
                    earlier = [
                        e["text"] for e in await earlier_turns(service, case, lang_of(request)) if e["unanswered"]
                    ]
                    found["questions"] = list(dict.fromkeys([*earlier, *found["questions"]]))
        keys = {question_key(q, wording) for q in found["questions"]}
        for key, g, variants in groups:
            if keys & variants:
                found["group_key"] = key
                found["questions"] += [v for v, _ in g.variants if v not in found["questions"]]
    elif group:
        for key, g, variants in groups:
            if key == group:
                found["group_key"], found["questions"] = key, [v for v, _ in g.variants]
                for a in await handover.answered(service.db):  # an officer who already answered one of them
                    if {question_key(q, wording) for q in a.questions} & variants:
                        found["answer"] = a.reply
    found["questions"] = found["questions"][:MAX_QUESTIONS]
    if found["questions"]:
        found["title"] = found["questions"][0][:60].capitalize()
        found["id"] = slug(found["title"])
    return found


def _topics(request: web.Request) -> list[str]:
    return sorted({i.topic for i in content_of(request).intents.intents} | {"umum"})


async def new_draft(request: web.Request) -> web.StreamResponse:
    form = await _prefill(request)
    return aiohttp_jinja2.render_template("draft_form.html", request, {"form": form, "topics": _topics(request)})


async def save(request: web.Request) -> web.StreamResponse:
    posted = await request.post()
    service, officer = request.app[SERVICE], request[STAFF].username
    questions = [q.strip() for q in str(posted.get("questions", "")).splitlines() if q.strip()][:MAX_QUESTIONS]
    form: dict[str, Any] = {
        "id": slug(str(posted.get("id", "")) or str(posted.get("title", ""))),
        "title": str(posted.get("title", "")).strip()[:120],
        "topic": str(posted.get("topic", "umum")),
        "questions": list(dict.fromkeys(questions)),
        "answer": str(posted.get("answer", "")).strip()[:MAX_ANSWER],
        "source": str(posted.get("source", "")).strip()[:300],
        "group_key": str(posted.get("group_key", ""))[:300],
    }
    if form["topic"] not in _topics(request):
        form["topic"] = "umum"
    if not form["title"] or not form["questions"] or not form["answer"]:
        context = {"form": form, "topics": _topics(request), "error": True}
        return aiohttp_jinja2.render_template("draft_form.html", request, context, status=400)
    content = content_of(request)  # the viewed office's pack is the one checked (the default's for all)
    text = snippet(form, officer, datetime.now(content.office.zone).date())
    name = f"draf_{form['id']}.yaml"
    pack = service.holder.directory_of(content.office.region_code)
    passed, problems = await asyncio.to_thread(check_snippet, pack, name, text)
    saved = await store.save_draft(
        service.db, officer, form["id"], form["title"], form["questions"], form["answer"], form["group_key"],
        text, [str(p) for p in problems], passed, office=content.office.region_code,
    )  # fmt: skip
    raise web.HTTPFound(f"/dashboard/drafts/{saved.id}")


async def _draft(request: web.Request) -> store.Draft:
    found = await store.draft(request.app[SERVICE].db, int(request.match_info["id"]))
    if found is None or not scope_of(request).holds(found.office):  # another office's draft: not here
        raise web.HTTPNotFound(text="no such draft")
    return found


async def show(request: web.Request) -> web.StreamResponse:
    draft = await _draft(request)
    lang = lang_of(request)
    problems = [explain(_problem(line), lang) for line in draft.problems]
    zone = content_of(request).office.zone
    context = {
        "draft": draft,
        "problems": problems,
        "made": draft.created_at.astimezone(zone).strftime("%d/%m/%Y %H.%M"),
    }
    return aiohttp_jinja2.render_template("draft.html", request, context)


async def download(request: web.Request) -> web.StreamResponse:
    draft = await _draft(request)
    return web.Response(
        text=draft.snippet,
        content_type="text/yaml",
        headers={"Content-Disposition": f'attachment; filename="draf_{draft.intent_id}.yaml"'},
    )


@aiohttp_jinja2.template("drafts.html")
async def listing(request: web.Request) -> dict[str, Any]:
    zone = content_of(request).office.zone
    rows = [
        (d, d.created_at.astimezone(zone).strftime("%d/%m/%Y %H.%M"))
        for d in await store.drafts(request.app[SERVICE].db, scope=scope_of(request))
    ]
    return {"rows": rows}


def _problem(line: str) -> Problem:
    """A stored 'file:line: [warning: ]message' back into a Problem, to explain it in the staff's words."""
    file, _, rest = line.partition(":")
    number, _, message = rest.partition(":")
    message = message.strip()
    warning = message.startswith("warning: ")
    return Problem(file, int(number) if number.strip().isdigit() else 0, message.removeprefix("warning: "), warning)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/drafts", listing)
    app.router.add_get("/drafts/new", new_draft)
    app.router.add_post("/drafts", save)
    app.router.add_get("/drafts/{id:\\d+}", show)
    app.router.add_get("/drafts/{id:\\d+}.yaml", download)
