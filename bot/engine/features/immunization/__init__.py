"""Immunization: the national schedule, what is due at an age, a child's own schedule, and a reminder offer.

Every answer is computed by bot.topics.immunization from content/immunization.yaml; this
package reads the question, picks the answer and words it for a phone screen:
- questions.py: one handler per content intent (faq/imunisasi.yaml);
- answers.py: the answers themselves (a child's schedule, what is due at an age, a vaccine...);
- wording.py: the pieces of text they are built from (ages, doses, sources);
- personal_schedule.py: the guided steps (birth date, age, the reminder offer) and storing a reminder;
- reading.py, offer_reply.py: reading the question, and the parent's yes or no.
The flow is declared below as a table: each step, what typed text does there, which buttons it accepts.
"""

from __future__ import annotations

from bot.engine.feature import Feature
from bot.engine.features.immunization import personal_schedule, questions
from bot.engine.features.immunization.steps import ASK_AGE, ASK_BIRTH, FLOW, OFFER_REMINDER, PREFIX
from bot.engine.flow import Flow, Step
from bot.engine.turn import Turn, intent_buttons, menu_button, reply
from bot.engine.types import Outcome

IMMUNIZATION = Flow(
    FLOW,
    steps={
        ASK_BIRTH: Step(personal_schedule.typed_birth),
        ASK_AGE: Step(personal_schedule.typed_age),
        OFFER_REMINDER: Step(personal_schedule.typed_offer_reply, {"remind": personal_schedule.offer_button}),
    },
    buttons={"vaksin": questions.vaccine_button},
)


async def on_payload(turn: Turn) -> Outcome:
    """An "imun:..." button: what the flow table says, or "no longer valid" for a button from an old message."""
    answer = await IMMUNIZATION.on_button(turn)
    if answer is not None:
        return answer
    turn.state.leave()
    text = turn.t("Maaf, tombol itu sudah tidak berlaku. Silakan pilih lagi.")
    return turn.outcome("imunisasi", reply(text, [*intent_buttons(turn, "imunisasi"), menu_button(turn)]))


FEATURE = Feature(
    name="immunization",
    handlers={
        "immunization.menu": questions.overview,
        "immunization.schedule": questions.whole_schedule,
        "immunization.age": questions.due_at_age,
        "immunization.vaccine": questions.vaccine,
        "immunization.personal": questions.personal,
        "immunization.catch_up": questions.catch_up,
        "immunization.kipi": questions.kipi,
        "immunization.school": questions.school,
    },
    payload_prefix=PREFIX,
    on_payload=on_payload,
    flow=FLOW,
    on_flow=IMMUNIZATION.on_text,
    commands={"/imunisasi": questions.overview, "/immunization": questions.overview},
    requires_intents=(
        *("imunisasi", "imunisasi_jadwal", "imunisasi_usia", "imunisasi_vaksin", "imunisasi_pribadi"),
        *("imunisasi_kejar", "imunisasi_kipi", "imunisasi_bias", "puskesmas"),
    ),
)
