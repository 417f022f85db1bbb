"""Round 15 false emergencies, English and Riau Malay (issue 18), read by the detector itself: a mechanism each,
with the emergencies next to them that must stay. My own wording, written from the mechanisms found on the first
half of bench/blind/danger_tune_en.jsonl (its second half is held out).

Other senses of an alarming word in English ("a stroke of luck", "crash course", "burned out", "fit for the
vaccine", "a hot dog", "the water pipe broke", "gave me a heart attack"); a sign's name before the noun it modifies
("heart attack prevention program", "choking hazard"); an English word spelt right is no typo of a danger word
("pay cash" is no "crash", "money" no "monkey", "infection" no "injection"); "3 yrs ago" is years ago; a burn that
has dried; calf cramps told "kejang"; a hypothetical asking what insurance covers; "how much ... is normal";
a fall that only scraped; "in case" asks ahead; a sign "once when he was 1" is past; "is X common" asks in
general; "blood pressure" is a name, no blood; an emergency number asked "for my records" is kept for later.
"""

from __future__ import annotations

import pytest

from bot.engine.understanding import Understanding


@pytest.mark.parametrize(
    "message",
    [
        "what a stroke of luck, the clinic had one slot left for my daughter's booster",  # idioms
        "i like to stroke my baby's back so she falls asleep, is that fine?",
        "is there a crash course on first aid for parents at the puskesmas?",
        "the bpjs app keeps crashing when i open the card page",
        "feeling burned out after night shifts, any counselling for nurses?",
        "burning when i pee since yesterday, no fever, which poli should i go to",
        "is my child fit for the vaccine today? he had a runny nose last week",
        "my boy bit into a hot dog and loved it, can a 1 year old eat sausage",
        "our water pipe broke so we cannot bathe the baby, can we come to posyandu tomorrow",
        "you almost gave me a heart attack with that message haha",
        "i was unconscious of the fact that the schedule had passed, can my son still catch up?",
        "knocked out by the flu for two days, better now, can i get a sick note",
        "the flu hit me hard this week, dizzy and tired, sick note please",
        "need to burn some calories, is there a free senam at the puskesmas",
        "my phone is dying, quick question: is posyandu open on saturday?",
        "any heart attack prevention program for men over 40?",  # the sign's name modifies a noun
        "is there a choking hazard with this teether for a 6 month old?",
        "i pay cash at the clinic, is that ok?",  # English words spelt right
        "the money for the vaccine, can i pay by transfer",
        "my grandma had a stroke 3 yrs ago, now bedridden but stable, can a nurse visit",  # years ago
        "luke bakar kat kaki budak ambo dah seminggu, dah kering, kene bawak puskesmas ke?",  # a dried burn
        "betis ambo selalu kejang masa tido malam, biase ke?",  # a calf cramp
        "kalau kecelakaan motor, BPJS tanggung ke tidak?",  # what insurance would cover
        "how much bleeding is normal after giving birth? asking for my sister due next month",
        "my son fell off his bike yesterday, just scraped his knee, does he need a tetanus shot?",
        "my grandma has trouble breathing when she climbs stairs, she has asthma, where to get an inhaler?",
        "in case my baby gets a seizure from fever, what medicine should i prepare at home?",  # asked ahead
        "my kid had a febrile seizure once when 1 year old, now 3, can she get the MR vaccine?",  # past, after it
        "is snake bite common here? we moved near the forest, which hospital has antivenom",  # a question in general
        "my heart stopped when i saw the price of the private hospital, is bpjs accepted?",  # a figure of speech
        "my wife's blood pressure was 140/90 at 36 weeks, no symptoms, should we worry?",  # "blood pressure" names
        "emergency contact number for the health office please, for my records",  # a number kept for later
        "my hand brushed a hot pot, just a small red mark, held it under cool water, anything else to do?",  # first aid
        "nak tampal senarai nombor penting kat peti ais, nombor kecemasan ape",  # a list for the fridge
        "ape beza strok haba dengan demam biase?",  # a difference asked
        "my cousin in Batam had a car accident last week, he is out of hospital now, can he move his BPJS here?",
        "capek ngurus berkas bpjs sampe sesek napas rasanya, ribet banget",  # a figure of speech
    ],
)
def test_round15_look_alikes_are_not_emergencies(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is None, message


@pytest.mark.parametrize(
    "message",
    [
        "my dad just had a stroke, his face is drooping and he can't talk",
        "my son crashed his motorbike, bleeding from the head",
        "the car crashed into my husband, he is not moving",
        "my baby is having a fit, shaking all over and eyes rolling",
        "a dog bit my son on the leg, it is bleeding",
        "my wife's water broke, she is only 34 weeks",
        "crushing chest pain spreading to my left arm, sweating a lot",
        "burning pain in my chest spreading to my jaw, sweating",
        "my son spilled boiling water on his arm, skin peeling off",
        "the car is on fire and my dad is trapped inside",
        "my cash is gone and my son is bleeding heavily from a deep cut",
        "a monkey bit my daughter at the park just now",
        "my husband is having a heart attack right now, please send an ambulance",
        "my kid drank the floor cleaner",
        "stung by a bee and her lips and tongue are swelling, she can't breathe",
        "anak saya kejang dari tadi, badannya panas sekali",
        "luka bakar kena minyak panas di tangan anak, melepuh besar",
        "hamil 8 bulan tekanan darah 170/110 pusing hebat pandangan kabur",  # a blood pressure told high
        "pregnant 34 weeks, blood pressure 180 and bad headache",
        "my son had a seizure once when he was 1, now he is seizing again for 5 minutes",  # happening again
        "my son fell in the river and went under water, we pulled him out, he is not breathing",
        "anak saya sesak napas berat dari tadi, bibirnya biru",
    ],
)
def test_round15_emergencies_next_to_them_stay(danger: Understanding, message: str) -> None:
    assert danger.danger(message) is not None, message
