"""Round 14 false emergencies (issues 18 and 19), read by the detector itself: a mechanism each, with the
emergency next to it that must stay. Written in my own words from the mechanisms, not from any set's lines.

A typo nearer an everyday word than a danger word is that word ("mencgah" is "mencegah", not "mengah" panting);
letters spoken in a row spell an abbreviation ("em er" is MR, not the ER); a card's state is no child's
("kartunya tidak aktif" is not "tidak aktif" lethargic); vaccine shots are no gunshot; blood coughed up a little is
mild (vomited blood is not); "not breathing fast" denies the speed, not the breathing; a sign told in an earlier
pregnancy is past, and so is one told up to eight words after "dulu"; "no longer" negates as "no" does.
"""

from __future__ import annotations

import pytest

from bot.engine.understanding import Understanding


@pytest.mark.parametrize(
    "message",
    [
        "vaksin ini mencgah penyakit apa aja ya",  # "mencegah" mistyped: no panting
        "imunisasi em er buat anak 9 bulan ada di posyandu?",  # MR spelled out
        "campak rubela itu vaksin em er kan, wajib ga",
        "anak sy demam kemarin, pas ke rs katanya kartu bpjs kami tdk aktif lagi, gmn ngaktifinnya",  # a card
        "bayi sy 5 bulan agak anget semalam, dibawa ke klinik tapi kartunya nonaktif, bayar umum deh",
        "my son got his shots yesterday and his arm is a bit red, normal?",  # vaccine shots
        "the baby got her shots this morning, she is sleepy, is that ok",
        "atuk ambo batuk ade darah sikit dah 2 minggu, TB ke ni?",  # a little blood coughed up
        "my baby isn't breathing fast, just a stuffy nose, can she get her vaccine",  # the speed denied
        "istri sy pendarahan waktu hamil pertama, sekarang hamil lagi 3 bulan, periksa apa aja",  # an earlier pregnancy
        "my dad is no longer short of breath after the nebulizer, can he get his flu shot",  # "no longer" negates
        "sy hamil 6 bulan. kakaknya dulu lahir sesar di rumah sakit krn ketuban pecah duluan",  # "dulu" 8 words back
    ],
)
def test_round14_look_alikes_are_not_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is None, message


@pytest.mark.parametrize(
    "message",
    [
        "anak saya kejng dari tadi, mata mendelik",  # a real typo of a danger word is still read
        "bapak pinsan di kamar mandi, ga bangun2",
        "tolong bawa ke ER sekarang, anak kejang",  # the ER itself
        "anak demam tinggi dari semalam, sekarang tidak aktif sama sekali, tidur terus",  # a child not active
        "my brother got shot in the leg, bleeding a lot",  # a gunshot
        "kakek batuk darah banyak sekali dari tadi",  # blood coughed up, much
        "bapak muntah darah sedikit tadi pagi",  # vomited blood, even a little
        "my baby is not breathing, her lips are blue",  # not breathing at all
        "istri sy pendarahan waktu hamil pertama, sekarang hamil lagi dan keluar darah banyak",  # bleeding again now
        "she can no longer breathe, her lips are blue",  # "no longer" before a sign that is itself a negation
    ],
)
def test_round14_emergencies_next_to_them_stay(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is not None, message
