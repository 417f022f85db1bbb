"""Round 16: where no sign's rule reads an emergency, a sure learned net answers it; a few more ways residents tell
signs (written from the Buku KIA's and SEJIWA's warning signs, not copied from any set).

The learned net (content/danger_model.json) used to lead only the normal answer with "if this is an emergency, call
119". On a fresh blind tuning set (bench/blind/danger_tune_r16.jsonl) 13 of 14 emergencies the rules missed got only
that line, after answers about BPJS or immunization. Now, when the net is sure (bot/engine/danger_net.SURE) and no
sign's words are in the message at all, the emergency answer comes first; where the rules weighed the words and
their guards said no ("gerakan bayi tidak berkurang"), or the message's own guards read it aside (a pet, a figure of
speech), the rules decide.
"""

from __future__ import annotations

import pytest

from bot.engine.understanding import Understanding
from tests.support.chat import Chat


@pytest.mark.parametrize(
    "message",
    [
        "tolong bu, anak saya badannya tersentak2 terus dari tadi",  # jerks: a seizure in everyday words
        "keponakan sy tubuhnya tersentak sentak, matanya ke atas",
        "haid sy kali ini banjir, ganti pembalut tiap jam, skrg pusing mau pingsan",  # a period far too heavy
        "my period is soaking a pad every hour and i feel faint",
        "adik sy kirim pesan selamat tinggal, katanya tidak mau jadi beban lagi",  # a farewell and a burden
        "halo ada nomor ambulans, bapak saya mau dibawa sekarang",  # the number asked in a hurry
    ],
)
def test_round16_signs_are_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is not None, message


@pytest.mark.parametrize(
    "message",
    [
        "saya tersentak kaget dengar kabar itu",  # startled, not a seizure
        "haid hari kedua memang deras, biasanya begitu, tembus tiap jam",  # heavy but usual, no faintness
        "kucing saya muntah terus dari pagi",  # a pet: the net's line at most, never the emergency answer
        "tidur saya kayak orang mati, susah bangun pagi",  # a figure of speech
        "gerakan bayi di perut aktif, tidak berkurang, hamil 30 minggu",  # the rules weighed it: calm
    ],
)
def test_round16_look_alikes_are_not_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is None, message


async def test_a_sure_net_answers_119_first_beside_another_question(chat: Chat) -> None:
    """The emergency answer wins over the BPJS question it was told beside (no sign's words: the model's)."""
    result = await chat.say(
        "min mau tanya kartu bpjs ibu saya, tapi ini dari tadi dia dipanggil2 matanya tidak mau buka, badannya lemas"
    )
    assert result["intent"] == "emergency"
    assert "119" in result["replies"][0]["text"]
