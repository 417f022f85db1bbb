"""Which office answers a resident, in a deployment of several offices (CONTENT_DIRS).

The resident's office is kept in their conversation state (`profile["office"]`) and chosen:
- by the channel, when it knows (the dashboard's "try the bot" box of one office's staff);
- from a shared location, while the resident has not told us their kelurahan (a kelurahan is
  where they live; a location may only be where they are now);
- from a typed place that belongs to exactly one other office ("desa Kualu", "Tarai Bangun");
  a place of the office in hand keeps it.
Until then the first office of the list (the default) answers. With one office nothing is read.
"""

from __future__ import annotations

from bot.engine.state import ConversationState
from bot.engine.types import Inbound
from bot.knowledge.content import Content
from bot.knowledge.geo import Point
from bot.knowledge.offices import Offices
from bot.topics import offices as topic

OFFICE = "office"  # the profile key: the resident's office, by its region code
AREA_KEYS = ("kelurahan_code", "kecamatan_code")  # the profile's area codes, which belong to one office
# Steps in which the bot asked where the user is: one typed word is read as a place there.
WHERE_STEPS = {("puskesmas", "where"), ("reminders", "area"), ("reminders", "bc_area")}


def choose(offices: Offices, state: ConversationState, inbound: Inbound, text: str) -> Content:
    """The office that answers this turn; remembered in `state` when the turn says which it is."""
    if not offices.multi:
        return offices.default
    current = offices.get(state.profile.get(OFFICE)) or offices.default
    chosen = offices.get(inbound.office) if inbound.office else None
    if chosen is None and inbound.location is not None and not _home_known(state, current):
        point = inbound.location
        if -90 <= point.lat <= 90 and -180 <= point.lon <= 180:  # also rejects NaN
            chosen = topic.locate(offices, Point(point.lat, point.lon))
    if chosen is None and text and inbound.location is None:
        where = (state.flow, state.step) in WHERE_STEPS
        chosen = topic.office_named(offices, text, current.office.region_code, anywhere=where)
    if chosen is None:
        if OFFICE in state.profile and offices.get(state.profile[OFFICE]) is None:
            state.profile.pop(OFFICE)  # an office no longer in the deployment
        return current
    move(state, chosen)
    return chosen


def move(state: ConversationState, office: Content) -> None:
    """The resident's office is now `office`: area codes of another office no longer apply."""
    code = office.office.region_code
    if state.profile.get(OFFICE) == code:
        return
    state.profile[OFFICE] = code
    for key in AREA_KEYS:
        value = state.profile.get(key)
        if isinstance(value, str) and not value.startswith(code + "."):
            state.profile.pop(key)


def _home_known(state: ConversationState, current: Content) -> bool:
    home = state.profile.get("kelurahan_code") or state.profile.get("kecamatan_code")
    return isinstance(home, str) and home.startswith(current.office.region_code + ".")
