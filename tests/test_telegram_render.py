"""Reply -> sendMessage: splitting at Telegram's limit, HTML escaping, keyboards, callback data size."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from bot.channels.telegram.render import MAX_CALLBACK, MAX_TEXT, render, split_text, utf16_len
from bot.engine.types import Button, Reply


def test_short_text_is_one_escaped_message() -> None:
    [out] = render(Reply("Demam <38°C> & rewel? Kompres hangat."))
    assert out.text == "Demam &lt;38°C&gt; &amp; rewel? Kompres hangat."
    assert out.parse_mode == "HTML"
    assert out.reply_markup is None


def test_long_text_splits_on_paragraphs_and_keyboard_rides_on_the_last() -> None:
    paragraphs = [f"Paragraf {i}: " + ("kata " * 300).strip() for i in range(6)]  # ~1500 chars each
    reply = Reply("\n\n".join(paragraphs), buttons=(Button("menu", "Menu utama"),))
    out = render(reply)
    assert len(out) > 1
    assert all(utf16_len(o.text) <= MAX_TEXT for o in out)
    for chunk in out:  # no paragraph is cut in half
        assert chunk.text.count("Paragraf") == chunk.text.count("kata " * 299 + "kata")
    assert [o.reply_markup is not None for o in out] == [False] * (len(out) - 1) + [True]
    assert "\n\n".join(o.text for o in out) == reply.text.strip()


def test_one_giant_paragraph_splits_on_lines_then_words() -> None:
    text = "\n".join("baris " + "x" * 50 for _ in range(200))
    chunks = split_text(text)
    assert len(chunks) > 1 and all(utf16_len(c) <= MAX_TEXT for c in chunks)
    assert all(line.startswith("baris ") for c in chunks for line in c.split("\n"))
    word_salad = "kata " * 2000
    assert all(utf16_len(c) <= MAX_TEXT for c in split_text(word_salad))


def test_emoji_count_as_two_units() -> None:
    text = "😀" * 3000  # 6000 UTF-16 units, no spaces: hard cut, never inside a surrogate pair
    chunks = split_text(text)
    assert len(chunks) == 2 and "".join(chunks) == text
    assert all(utf16_len(c) <= MAX_TEXT for c in chunks)


@given(st.text(min_size=1, max_size=12000))
def test_any_text_fits_and_keeps_its_words(text: str) -> None:
    chunks = split_text(text, limit=500)
    assert all(0 < utf16_len(c) <= 500 for c in chunks)
    assert "".join(chunks).split() == text.split() or "".join("".join(chunks).split()) == "".join(text.split())


def test_buttons_are_an_inline_keyboard_with_payloads() -> None:
    reply = Reply("Pilih:", buttons=(Button("intent:imunisasi", "Imunisasi"), Button("menu", "Menu utama")))
    markup = render(reply)[-1].reply_markup
    assert isinstance(markup, InlineKeyboardMarkup)
    data = [(b.text, b.callback_data) for row in markup.inline_keyboard for b in row]
    assert data == [("Imunisasi", "intent:imunisasi"), ("Menu utama", "menu")]


def test_overlong_payload_travels_as_the_button_number() -> None:
    long_payload = "uhc:answer:" + "é" * 40  # 91 bytes
    reply = Reply("Pilih:", buttons=(Button("menu", "Menu"), Button(long_payload, "Jawaban")))
    markup = render(reply)[-1].reply_markup
    assert isinstance(markup, InlineKeyboardMarkup)
    datas = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert datas == ["menu", "#2"]
    assert all(len(str(d).encode()) <= MAX_CALLBACK for d in datas)


def test_location_request_is_a_reply_keyboard_button() -> None:
    reply = Reply("Kirim lokasi Anda", buttons=(Button("menu", "Menu utama"),), location_request=True)
    markup = render(reply)[-1].reply_markup
    assert isinstance(markup, ReplyKeyboardMarkup)
    first = markup.keyboard[0][0]
    assert first.request_location is True
    assert [row[0].text for row in markup.keyboard[1:]] == ["Menu utama"]  # typed label = that button
    assert markup.one_time_keyboard and markup.resize_keyboard


_labels = st.text(max_size=30)
_buttons = st.lists(st.builds(Button, st.text(max_size=90), _labels), max_size=6).map(tuple)


@given(_buttons, st.booleans(), st.text(max_size=200), st.sampled_from(["📍 Kirim lokasi saya", "📍 Send my location"]))
def test_the_direct_paths_keyboard_is_ptbs_json_to_the_letter(
    buttons: tuple[Button, ...], location: bool, text: str, label: str
) -> None:
    reply = Reply(text, buttons=buttons, location_request=location)
    through_ptb = render(reply, label)
    direct = render(reply, label, as_json=True)
    assert [o.text for o in direct] == [o.text for o in through_ptb]
    assert all(o.reply_markup is None for o in direct)
    for ptb, plain in zip(through_ptb, direct, strict=True):
        expected = None if ptb.reply_markup is None else ptb.reply_markup.to_dict()
        assert json.dumps(plain.markup_json) == json.dumps(expected)  # key order too: the same bytes posted


def test_both_paths_post_the_keyboards_telegram_got_before_they_shared_one_builder() -> None:
    """The JSON PTB's own objects gave (round 13), pinned: the direct path's dicts and PTB's objects built from them."""
    inline = Reply("Pilih:", buttons=(Button("menu", "Menu"), Button("x" * 65, "Jawaban")))
    location = Reply("Kirim lokasi", buttons=(Button("menu", "Menu utama"),), location_request=True)
    before = {
        inline: '{"inline_keyboard": [[{"callback_data": "menu", "text": "Menu"}], '
        '[{"callback_data": "#2", "text": "Jawaban"}]]}',
        location: '{"keyboard": [[{"request_location": true, "text": "L"}], [{"text": "Menu utama"}]], '
        '"one_time_keyboard": true, "resize_keyboard": true}',
    }
    for reply, posted in before.items():
        [ptb], [direct] = render(reply, "L"), render(reply, "L", as_json=True)
        assert ptb.reply_markup is not None
        assert json.dumps(ptb.reply_markup.to_dict()) == json.dumps(direct.markup_json) == posted
