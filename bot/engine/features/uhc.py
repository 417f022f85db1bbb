"""UHC / JKN: the eligibility check (a guided flow from content) and answers about registration and status.

The flow's questions, answers and outcomes live in content/uhc.yaml; this file only
asks, listens and answers. It never asks for a NIK and keeps nothing the user typed:
the conversation state holds the current step and a retry count, nothing more.
"""

from __future__ import annotations

from datetime import date

from bot.engine.feature import Feature, Handler
from bot.engine.turn import Turn, intent_buttons, menu_button, reply
from bot.engine.types import Button, Outcome, Reply
from bot.engine.understanding import CONFIDENT
from bot.i18n import format_date
from bot.knowledge.uhc import Fact, FlowOutcome, Step, UhcGuide
from bot.topics import uhc as flow_machine

NAME = "uhc"
PREFIX = "uhc"
START = "start"  # answers.start: the facts shown before the first question
START_PAYLOAD = f"{PREFIX}:{START}"
# The answers ("uhc.<name>" handlers) whose facts content/uhc.yaml lists under `answers`.
ANSWERS = ("daftar", "status", "nonaktif", "karyawan", "kelas", "dokumen", "iuran")
# After this many answers we could not read, the re-ask also says how to leave.
PATIENCE = 2


async def start(turn: Turn) -> Outcome:
    """What UHC means here (the facts under answers.start), then the check's first question."""
    about = turn.content.uhc.facts_for(START)
    question = _open(turn)
    if not about:
        return question
    text = _facts_text(turn, about)
    if turn.offices.multi and "office" not in turn.state.profile:  # the rules differ by region: say whose these are
        text = (
            turn.t(
                "Aturan UHC berbeda di tiap daerah; ini aturan {city}. Warga daerah lain: ketik nama kelurahan/desa Anda.",
                city=turn.content.office.city,
            )
            + "\n\n"
            + text
        )
    return turn.outcome(NAME, reply(text), *question.replies)


def _open(turn: Turn) -> Outcome:
    """The check's introduction and first question."""
    flow = turn.content.uhc.flow
    return _ask(turn, flow_machine.start(flow), lead=flow.intro.get(turn.lang) if flow.intro else "")


async def on_flow(turn: Turn) -> Outcome | None:
    """A typed answer to the open question: the next question, an outcome, or the question again."""
    if turn.text.startswith("/"):  # a command (/menu, /imunisasi...) is never an answer
        turn.state.leave()
        return None
    guide = turn.content.uhc
    step_id = turn.state.step or ""
    result = flow_machine.answer(guide.flow, step_id, turn.text, turn.content.language.replacement_map)
    if result is None:  # the content changed under an open check: begin again rather than guess
        return _restart(turn)
    if isinstance(result, flow_machine.Reask):
        if _asks_something_else(turn):
            turn.state.leave()
            return None  # a new question mid-check: let the dialogue answer it
        return _reask(turn, result.step)
    return _advance(turn, result)


async def on_payload(turn: Turn) -> Outcome:
    """A pressed button: 'uhc:start' or 'uhc:<step>:<answer number>'."""
    guide = turn.content.uhc
    parts = (turn.inbound.payload or "").split(":")
    if parts[1:] == [START]:
        return _open(turn)
    node = None
    if len(parts) == 3 and parts[2].isdigit():
        node = flow_machine.choose(guide.flow, parts[1], int(parts[2]))
    if node is None:  # a button from an older version of the questions
        return _restart(turn)
    return _advance(turn, node)


def _restart(turn: Turn) -> Outcome:
    """The questions changed since this step was asked: start over rather than guess."""
    lead = turn.t("Maaf, pertanyaan cek UHC sudah diperbarui. Kita mulai lagi dari awal, ya.")
    return _ask(turn, flow_machine.start(turn.content.uhc.flow), lead=lead)


def _advance(turn: Turn, node: Step | FlowOutcome) -> Outcome:
    if isinstance(node, Step):
        return _ask(turn, node)
    turn.state.leave()
    return turn.outcome(NAME, _outcome_reply(turn, node))


def _ask(turn: Turn, step: Step, lead: str = "") -> Outcome:
    turn.state.enter(NAME, step.id, retries=0)
    text = "\n\n".join(part for part in (lead, step.question.get(turn.lang)) if part)
    return turn.outcome(NAME, reply(text, _step_buttons(turn, step)))


def _reask(turn: Turn, step: Step) -> Outcome:
    retries = turn.state.data.get("retries")
    retries = (retries if isinstance(retries, int) else 0) + 1
    turn.state.enter(NAME, step.id, retries=retries)
    labels = ", ".join(c.label.get(turn.lang) for c in step.choices)
    lines = [
        turn.t("Maaf, jawaban itu belum saya pahami."),
        step.question.get(turn.lang),
        turn.t("Pilih tombol di bawah, atau ketik salah satu: {choices}.", choices=labels),
    ]
    if retries >= PATIENCE:
        lines.append(turn.t("Ketik batal untuk berhenti, atau menu untuk topik lain."))
    return turn.outcome(NAME, reply("\n\n".join(lines), _step_buttons(turn, step)), answered=False)


def _step_buttons(turn: Turn, step: Step) -> list[Button]:
    buttons = [Button(f"{PREFIX}:{step.id}:{i}", c.label.get(turn.lang)) for i, c in enumerate(step.choices)]
    buttons.append(Button("menu", turn.t("Batal")))
    return buttons


def _outcome_reply(turn: Turn, outcome: FlowOutcome) -> Reply:
    steps = "\n".join(f"{n}. {s.get(turn.lang)}" for n, s in enumerate(outcome.next_steps, start=1))
    parts = [
        outcome.title.get(turn.lang),
        outcome.text.get(turn.lang),
        turn.t("Langkah berikutnya:") + "\n" + steps,
        _source_line(turn, outcome.source, outcome.reviewed),
    ]
    text = "\n\n".join(parts)
    buttons = intent_buttons(turn, *outcome.related)
    buttons += [Button(START_PAYLOAD, turn.t("Cek ulang")), menu_button(turn)]
    return reply(text, buttons)


def _source_line(turn: Turn, source: str, reviewed: date | None) -> str:
    when = format_date(reviewed, turn.lang, weekday=False) if reviewed else "-"
    return turn.t("Sumber: {source} (diperiksa {reviewed})", source=source, reviewed=when)


def _facts_text(turn: Turn, facts: tuple[Fact, ...]) -> str:
    """Each fact under its title, then each distinct source once with its latest review date."""
    parts = [f"{f.title.get(turn.lang)}\n{f.text.get(turn.lang)}" for f in facts]
    latest: dict[str, date | None] = {}
    for fact in facts:
        dates = [d for d in (latest.get(fact.source), fact.reviewed) if d is not None]
        latest[fact.source] = max(dates) if dates else None
    parts += [_source_line(turn, source, reviewed) for source, reviewed in latest.items()]
    return "\n\n".join(parts)


def _asks_something_else(turn: Turn) -> bool:
    """A confident match to an intent outside this check: the resident changed the subject."""
    matches = turn.understanding.match(turn.text, turn.lang)
    return bool(matches) and matches[0].score >= CONFIDENT and matches[0].intent_id != NAME


def _answer_handler(name: str) -> Handler:
    async def answer(turn: Turn) -> Outcome:
        return _facts_outcome(turn, turn.content.uhc, name)

    answer.__doc__ = f"Answer with the facts listed under answers.{name} in content/uhc.yaml."
    return answer


def _facts_outcome(turn: Turn, guide: UhcGuide, name: str) -> Outcome:
    """The facts for one kind of question, each with its source, and an offer to run the check."""
    intent_id = next((i.id for i in turn.content.intents.intents if i.handler == f"{PREFIX}.{name}"), NAME)
    facts = guide.facts_for(name)
    if not facts:  # `content check` prevents this; answer honestly if it happens anyway
        return turn.outcome(intent_id, reply(turn.t("Maaf, informasinya belum tersedia.")), answered=False)
    buttons = [
        Button(START_PAYLOAD, turn.t("Cek apakah saya bisa ikut UHC")),
        menu_button(turn),
    ]
    return turn.outcome(intent_id, reply(_facts_text(turn, facts), buttons))


FEATURE = Feature(
    name=NAME,
    handlers={"uhc.start": start, **{f"{PREFIX}.{name}": _answer_handler(name) for name in ANSWERS}},
    payload_prefix=PREFIX,
    on_payload=on_payload,
    flow=NAME,
    on_flow=on_flow,
    commands={"/uhc": start},
)
