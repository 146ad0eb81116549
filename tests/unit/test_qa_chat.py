"""Defects found by talking to the bot as new users do (QA), pinned on the service with a real store."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.config import parse_config
from bot.service import Service
from bot.store.base import Store
from tests.unit.chat import ChatBot

ALICE = "@alice:example.org"
NOW = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)  # 11:00 in Jakarta


@pytest.fixture
def bot(store: Store) -> ChatBot:
    cfg = parse_config({
        "matrix": {"homeserver": "https://hs.example.org", "user_id": "@bot:example.org", "password": "x"},
        "bot": {"default_timezone": "Asia/Jakarta", "default_time": "09:00"},
    })
    return ChatBot(store, Service(cfg), me=ALICE, dms={ALICE: "!dm:example.org"}, now=NOW, reply_txns=True)


async def language(bot: ChatBot) -> str:
    async with bot.store.read() as tx:
        return (await bot.svc.owner(tx, ALICE)).language


# --- the reply language follows what users write, not what they quote ----------------------------

@pytest.mark.parametrize("quoted", [
    "特價充值！話費8折，加TG @cheap_topup 即可",
    "Top up murah! Pulsa 100rb cuma 50rb, hubungi agen kami di wa.me/628123456789",
    "Tambah nilai murah, kredit RM10 untuk RM5 sahaja, mesej kami di WhatsApp",
])
async def test_checking_a_foreign_message_keeps_the_users_language(bot: ChatBot, quoted: str) -> None:
    """An English speaker who ran ``check`` on a Chinese scam text got every later reply in
    Chinese: the quoted text steered the reply language."""
    await bot.say("add axis +30d My AXIS")
    verdict = await bot.say(f"check {quoted}")
    assert "Scam sign" in verdict.body, verdict.body
    assert await language(bot) == "en"
    assert (await bot.say("list")).body.startswith("Your lines")


@pytest.mark.parametrize(("word", "lang"), [("檢查", "zh-Hant"), ("检查", "zh-Hans")])
async def test_the_check_word_itself_still_says_the_language(bot: ChatBot, word: str, lang: str) -> None:
    await bot.say(f"{word} Top up murah! hubungi agen kami di wa.me/628123456789")
    assert await language(bot) == lang


# --- a short Chinese notice is a notice ----------------------------------------------------------

@pytest.mark.parametrize("notice", ["您的储值卡有效期至2027年3月1日。", "您的號碼有效期至2027年3月1日"])
async def test_a_short_chinese_notice_is_offered_not_an_unknown_command(bot: ChatBot, notice: str) -> None:
    """Chinese has no spaces: a 19-character notice was "one word" and got "I don't know the
    command '您的储值卡…'" instead of the offer to store its date."""
    reply = await bot.say(notice)
    # No carrier named: the bot reads the date and says how to store it.
    assert "2027年3月1日" in reply.body and "2027-03-01" in reply.body, reply.body
    assert "help" not in reply.body, reply.body


async def test_a_short_chinese_notice_naming_its_carrier_is_offered(bot: ChatBot) -> None:
    reply = await bot.say("csl：儲值卡有效期至2027年3月1日")
    assert "2027年3月1日" in reply.body, reply.body
    await bot.say("是")
    [line] = await bot.lines()
    assert (line.provider, line.expiry.isoformat()) == ("csl", "2027-03-01")


async def test_a_short_chinese_question_is_still_an_unknown_command(bot: ChatBot) -> None:
    assert "help" in (await bot.say("你好")).body


# --- times of day in the users' own words --------------------------------------------------------

@pytest.mark.parametrize(("said", "hh", "mm"), [
    ("8 pagi", 8, 0), ("pukul 8.30 malam", 20, 30), ("jam 1 siang", 13, 0), ("12 siang", 12, 0),
    ("3 sore", 15, 0), ("5 petang", 17, 0), ("8 malam", 20, 0), ("12 malam", 0, 0), ("jam 1 malam", 1, 0),
    ("上午9点", 9, 0), ("晚上8點半", 20, 30), ("下午3点15分", 15, 15), ("早上七点", 7, 0), ("晚上十点", 22, 0),
    ("中午12点", 12, 0), ("下午两点", 14, 0), ("21時", 21, 0), ("9am", 9, 0), ("12am", 0, 0), ("21.30", 21, 30),
])
def test_a_time_of_day_in_the_users_words(said: str, hh: int, mm: int) -> None:
    """``time 8 pagi`` and ``时间 晚上8点`` were refused with "use HH:MM", although ``9am`` worked."""
    from datetime import time

    from bot.core.args import parse_time

    assert parse_time(said) == time(hh, mm)


@pytest.mark.parametrize("said", ["13 pagi", "13am", "20 malam", "0am", "25:00", "晚上", "下午二十五点", "8 pagii", "0 pm"])
def test_a_time_that_does_not_fit_is_still_refused(said: str) -> None:
    from bot.core.args import CommandError, parse_time

    with pytest.raises(CommandError):
        parse_time(said)


@pytest.mark.parametrize(("said", "reply"), [
    ("waktu 8 malam", "20:00"), ("时间 晚上8点半", "20:30"), ("masa 7 pagi", "07:00"),
])
async def test_the_time_command_takes_them(bot: ChatBot, said: str, reply: str) -> None:
    assert reply in (await bot.say(said)).body


# --- time zones by the place people name ------------------------------------------------------------

@pytest.mark.parametrize(("said", "zone"), [
    ("timezone jakarta", "Asia/Jakarta"), ("timezone Kuala Lumpur", "Asia/Kuala_Lumpur"),
    ("timezone Taipei", "Asia/Taipei"), ("timezone ho chi minh", "Asia/Ho_Chi_Minh"), ("timezone Hanoi", "Asia/Ho_Chi_Minh"),
    ("timezone Singapore", "Asia/Singapore"), ("timezone ICT", "Asia/Bangkok"), ("timezone PHT", "Asia/Manila"),
    ("时区 台北", "Asia/Taipei"), ("時區 香港", "Asia/Hong_Kong"), ("zona waktu makassar", "Asia/Makassar"),
    ("zon waktu Malaysia", "Asia/Kuala_Lumpur"), ("timezone Asia/Kuala Lumpur", "Asia/Kuala_Lumpur"),
])
async def test_a_time_zone_by_its_place(bot: ChatBot, said: str, zone: str) -> None:
    """``timezone Taipei``, ``timezone Kuala Lumpur`` and ``时区 台北`` were "not a time zone I know"
    (or "give one name"): only IANA names and a few abbreviations were read."""
    reply = await bot.say(said)
    assert zone in reply.body, reply.body
    async with bot.store.read() as tx:
        assert (await bot.svc.owner(tx, ALICE)).timezone == zone


@pytest.mark.parametrize("said", ["timezone Indonesia", "timezone nowhere", "timezone Asia"])
async def test_a_place_with_no_one_zone_is_refused(bot: ChatBot, said: str) -> None:
    """Indonesia has three zones: the bot asks instead of guessing."""
    assert "Asia/Jakarta" in (await bot.say(said)).body  # the hint names one
    async with bot.store.read() as tx:
        assert (await bot.svc.owner(tx, ALICE)).timezone_source == "default"


# --- an empty room list shows the prefix the room needs ------------------------------------------

@pytest.mark.parametrize("lang", ["en", "zh-Hans", "zh-Hant", "id", "ms"])
async def test_an_empty_room_list_says_how_to_add_with_the_prefix(bot: ChatBot, lang: str) -> None:
    """A fresh group room's ``!list`` answered "Add one: add axis ...", a message the bot ignores
    in a group room (commands there need "!")."""
    await bot.say(f"language {lang}", room="!g:x")
    reply = await bot.say("list", room="!g:x")
    assert "!add axis 2026-12-31" in reply.body, reply.body
    await bot.say(f"language {lang}")
    dm = await bot.say("list")
    assert "add axis 2026-12-31" in dm.body and "!add" not in dm.body
    if lang != "en":
        assert "My" not in dm.body and "Mum" not in reply.body  # the example's label is in the reader's language


# --- reminders back on -------------------------------------------------------------------------------

async def pending(bot: ChatBot, number: int) -> object:
    async with bot.store.read() as tx:
        line = await tx.get_line(ALICE, number)
        assert line is not None
        return await tx.pending_ping(line.id)


@pytest.mark.parametrize(("off", "on"), [("remind 1 off", "remind 1 on"), ("提醒 1 关", "提醒 1 开"),
                                         ("ingatkan 1 mati", "ingatkan 1 hidup")])
async def test_reminders_turned_off_come_back_on_with_on(bot: ChatBot, off: str, on: str) -> None:
    """After ``remind 1 off``, ``remind 1 on`` answered '"on" is not a list of days'."""
    await bot.say("add axis +20d")
    before = await pending(bot, 1)
    await bot.say(off)
    assert await pending(bot, 1) is None
    reply = await bot.say(on)
    assert "7, 3, 1, 0" in reply.body, reply.body
    assert await pending(bot, 1) == before
    assert (await bot.line(1)).lead_days is None  # it follows the owner's days again


async def test_all_reminders_back_on(bot: ChatBot) -> None:
    await bot.say("add axis +20d")
    await bot.say("add xl +20d")
    await bot.say("remind all off")
    await bot.say("remind 2 on")  # the owner's days are off: the line gets the bot's default ones
    assert await pending(bot, 2) is not None and await pending(bot, 1) is None
    assert "7, 3, 1, 0" in (await bot.say("remind all on")).body
    assert await pending(bot, 1) is not None


# --- language by its name -------------------------------------------------------------------------

@pytest.mark.parametrize(("said", "lang"), [
    ("language Bahasa Melayu", "ms"), ("bahasa bahasa indonesia", "id"), ("language traditional chinese", "zh-Hant"),
    ("language Chinese", "zh-Hans"), ("语言 英文", "en"), ("bahasa Inggris", "en"), ("language BM", "ms"),
    ("語言 粵語", "zh-HK"), ("bahasa 马来语", "ms"),
])
async def test_a_language_by_the_name_people_use(bot: ChatBot, said: str, lang: str) -> None:
    """``language Bahasa Melayu`` answered "give a language code", although the bot knows that
    name: only one word was read."""
    await bot.say(said)
    async with bot.store.read() as tx:
        owner = await bot.svc.owner(tx, ALICE)
    assert (owner.language, owner.language_set) == (lang, True)


@pytest.mark.parametrize(("lang", "room_words"), [
    ("en", "this room's lines"), ("zh-Hans", "本群"), ("zh-Hant", "本群組"), ("id", "di grup ini"), ("ms", "dalam kumpulan ini"),
])
async def test_remind_all_in_a_room_speaks_of_the_rooms_lines(bot: ChatBot, lang: str, room_words: str) -> None:
    """``!remind all 3,0`` in a family room answered "All *your* lines will be reminded"."""
    await bot.say(f"language {lang}", room="!g:x")
    await bot.say("add axis +20d", room="!g:x")
    on = await bot.say("remind all 3,0", room="!g:x")
    off = await bot.say("remind all off", room="!g:x")
    assert room_words in on.body and room_words in off.body, (on.body, off.body)
    assert "!remind all on" in off.body
    dm = await bot.say("remind all off")
    assert room_words not in dm.body


# --- "+2m" is two months, not two minutes ----------------------------------------------------------

@pytest.mark.parametrize(("said", "expiry"), [
    ("add axis +2m", "2027-02-02"), ("add axis +1y", "2027-12-02"), ("add axis 2m", "2027-02-02"),
    ("add axis +2w", "2026-12-16"),
])
async def test_a_month_written_as_m_is_a_month(bot: ChatBot, said: str, expiry: str) -> None:
    """``add axis +2m`` stored *today* as the expiry (the fallback read two minutes)."""
    await bot.say(said)
    assert (await bot.line(1)).expiry.isoformat() == expiry


@pytest.mark.parametrize(("said", "expiry"), [
    ("renewed 1 +2m", "2027-03-15"), ("renewed 1 +1 bulan", "2027-02-15"), ("已续费 1 +1个月", "2027-02-15"),
    ("renewed 1 +1y", "2028-01-15"), ("renewed 1 +2w", "2027-01-29"), ("renewed 1 +30d", "2027-02-14"),
])
async def test_renewed_adds_months_to_the_expiry(bot: ChatBot, said: str, expiry: str) -> None:
    """``renewed 1 +2m`` set the expiry to today; months count from the current expiry, as days do."""
    await bot.say("add axis 2027-01-15")
    await bot.say(said)
    assert (await bot.line(1)).expiry.isoformat() == expiry


async def test_renewed_refuses_more_than_two_years(bot: ChatBot) -> None:
    await bot.say("add axis 2027-01-15")
    assert "+25m" in (await bot.say("renewed 1 +25m")).body
    assert (await bot.line(1)).expiry.isoformat() == "2027-01-15"


@pytest.mark.parametrize(("said", "expiry"), [
    ("hari ni", "2026-12-02"), ("harini", "2026-12-02"), ("minggu dpn", "2026-12-09"), ("bulan dpn", "2027-01-02"),
    ("thn dpn", "2027-12-02"), ("下下周", "2026-12-16"), ("下下週", "2026-12-16"), ("月尾", "2026-12-31"),
])
def test_everyday_date_words(said: str, expiry: str) -> None:
    """Malay and Indonesian chat shorthand (hari ni, dpn) and Cantonese 月尾 were not dates."""
    from datetime import date

    from bot.core.dates import parse_date

    assert parse_date(said, today=date(2026, 12, 2)).isoformat() == expiry


@pytest.mark.parametrize("lang", ["en", "zh-Hans", "zh-Hant", "id", "ms"])
async def test_a_plan_for_a_provider_without_plans(bot: ChatBot, lang: str) -> None:
    """``edit 1 plan starter`` on a Telkomsel line answered "Telkomsel has no plan 'starter'. Plans: -"."""
    await bot.say(f"language {lang}")
    await bot.say("add telkomsel +20d")
    reply = await bot.say("edit 1 plan starter")
    import re

    assert "Telkomsel" in reply.body and not re.search(r"[:：]\s*-\s*[.。]?", reply.body), reply.body
    assert (await bot.line(1)).variant is None


# --- answering a ping as people answer ---------------------------------------------------------------

@pytest.mark.parametrize(("answer", "expiry"), [
    ("sudah, sampai 1 Maret 2027", "2027-03-01"), ("dah renew, 1/3/2027", "2027-03-01"),
    ("Done! until March 1, 2027", "2027-03-01"), ("sudah diperpanjang s.d. 01/03/2027", "2027-03-01"),
    ("续好了，到2027年3月1日", "2027-03-01"), ("2027-03-01", "2027-03-01"), ("+30d", "2027-01-14"),
])
async def test_a_reply_to_a_ping_may_say_done_before_the_date(bot: ChatBot, answer: str, expiry: str) -> None:
    """Replying "sudah, sampai 1 Maret 2027" to a ping got "I can't read 'sudah,' as a date"."""
    await bot.say("add axis 2026-12-15")
    async with bot.store.read() as tx:
        [row] = await tx.due_pings(2**62)
    async with bot.store.tx() as tx:
        reply = await bot.svc.reply_to_ping(tx, bot.dm(), row, answer)
    assert reply is not None and "{" not in reply.body
    assert (await bot.line(1)).expiry.isoformat() == expiry, reply.body


@pytest.mark.parametrize("answer", ["belum, mungkin besok", "not yet, maybe tomorrow", "还没，明天吧"])
async def test_not_yet_is_never_a_renewal(bot: ChatBot, answer: str) -> None:
    await bot.say("add axis 2026-12-15")
    async with bot.store.read() as tx:
        [row] = await tx.due_pings(2**62)
    async with bot.store.tx() as tx:
        await bot.svc.reply_to_ping(tx, bot.dm(), row, answer)
    assert (await bot.line(1)).expiry.isoformat() == "2026-12-15"


async def test_done_alone_is_like_the_tick(bot: ChatBot) -> None:
    """"sudah" alone asks for the date (or proposes it), as ✅ does: it never says "not a date"."""
    await bot.say("add axis 2026-12-15")
    async with bot.store.read() as tx:
        [row] = await tx.due_pings(2**62)
    async with bot.store.tx() as tx:
        reply = await bot.svc.reply_to_ping(tx, bot.dm(), row, "sudah")
    assert reply is not None and "renewed 1" in reply.body and "sudah" not in reply.body, reply.body


# --- a pasted scam that starts like a command ------------------------------------------------------

@pytest.mark.parametrize("pasted", [
    "Tambah nilai murah! RM10 dapat RM20, WhatsApp 0123456789 sekarang",
    "Daftar sekarang untuk pulsa gratis 100rb, klik bit.ly/pulsa-gratis",
])
async def test_a_pasted_scam_starting_with_a_command_word_gets_the_verdict(bot: ChatBot, pasted: str) -> None:
    """"Tambah nilai murah! ..." (Malay "top up") was read as ``tambah`` (add) and answered
    "I can't read 'murah!' as a date"; "Daftar sekarang ..." as ``daftar`` (list): "'sekarang' is
    not a page number". A user who forwards a scam must get the scam verdict."""
    reply = await bot.say(pasted)
    assert reply.body.startswith("⚠️"), reply.body
    assert await bot.count() == 0


@pytest.mark.parametrize(("typo", "meant"), [("ad axis 2026-12-31 my mums phone", '"add"'),
                                              ("tamba xl besok HP Ibu saya", '"add"')])
async def test_a_long_typo_is_a_typo_not_a_pasted_message(bot: ChatBot, typo: str, meant: str) -> None:
    """A mistyped command word with five words after it got "no signs of a scam" instead of
    "did you mean add?"."""
    reply = await bot.say(typo)
    assert meant in reply.body, reply.body


async def test_a_real_command_with_a_bad_date_still_says_so(bot: ChatBot) -> None:
    reply = await bot.say("add axis 2026-13-45 my mums old phone")
    assert "2026-13-45" in reply.body and not reply.body.startswith("⚠️")


@pytest.mark.parametrize(("answer", "rest"), [
    ("renew 2027-03-01", "2027-03-01"), ("续费 2027年3月1日", "2027年3月1日"), ("已續費", ""),
    ("perpanjang s.d. 1 Maret 2027", "1 Maret 2027"), ("renewal is late", "renewal is late"),
])
def test_every_renewed_word_is_a_done_word_in_a_ping_answer(answer: str, rest: str) -> None:
    from bot.core.args import answer_to_ping

    assert answer_to_ping(answer) == rest


@pytest.mark.parametrize(("command", "routed"), [
    ("renewed 2027-03-01", True), ("已续费", True), ("sudah perpanjang", True), ("renewed +30d", True),
    ("renewed 1", False), ("已續費 1 +30d", False), ("list", False),
])
def test_the_renewed_word_without_a_number_answers_the_ping(command: str, routed: bool) -> None:
    from bot.matrix.handlers import _renewed_without_number

    assert _renewed_without_number(command) is routed


# --- a zone typed as an offset from UTC -----------------------------------------------------------

@pytest.mark.parametrize(("typed", "zone", "shown"), [
    ("UTC+8", "Etc/GMT-8", "UTC+8"), ("GMT+7", "Etc/GMT-7", "UTC+7"), ("gmt +08:00", "Etc/GMT-8", "UTC+8"),
    ("UTC−5", "Etc/GMT+5", "UTC-5"), ("UTC+0", "UTC", "UTC"),
])
async def test_a_zone_typed_as_an_offset_from_utc(bot: ChatBot, typed: str, zone: str, shown: str) -> None:
    """"GMT+8" is how many Malaysians and Singaporeans name their zone; it was "not a time zone I
    know". It is the fixed-offset IANA zone, shown as typed (not "Etc/GMT-8", whose sign reads
    backwards)."""
    reply = await bot.say(f"timezone {typed}")
    assert shown in reply.body and "Etc/" not in reply.body, reply.body
    async with bot.store.read() as tx:
        assert (await bot.svc.owner(tx, ALICE)).timezone == zone
    settings = (await bot.say("settings")).body
    assert f"Time zone: {shown} " in settings and "Etc/" not in settings, settings
    assert "Etc/" not in (await bot.say("time 07:00")).body


@pytest.mark.parametrize("typed", ["UTC+5:30", "UTC+15", "GMT-13", "UTC+8x"])
async def test_an_offset_without_a_whole_hour_zone_is_refused(bot: ChatBot, typed: str) -> None:
    assert "not a time zone I know" in (await bot.say(f"timezone {typed}")).body


# --- a pasted SMS is someone else's text ----------------------------------------------------------

@pytest.mark.parametrize("pasted", [
    "Telkomsel: Masa aktif kartu Anda s.d. 31-01-2027. Terima kasih.",
    "中華電信：您的預付卡有效期至2027年1月31日，請儘早儲值。",
    "Top up murah! Pulsa 100rb cuma 50rb, hubungi agen kami di wa.me/628123456789",
    "話費8折充值！加TG @cheap_topup 即可，限時優惠",
])
async def test_a_pasted_notice_or_scam_keeps_the_users_language(bot: ChatBot, pasted: str) -> None:
    """An English speaker who pasted Telkomsel's Indonesian SMS got the offer, and every later
    reply, in Indonesian: the carrier's words steered the reply language, as ``check`` once did."""
    await bot.say("add telkomsel +10d Mum")
    reply = await bot.say(pasted)
    assert "Reply yes" in reply.body or "scam" in reply.body, reply.body
    assert await language(bot) == "en"
    assert (await bot.say("list")).body.startswith("Your lines")


async def test_a_first_contact_pasting_a_notice_is_answered_in_its_language(bot: ChatBot) -> None:
    """Someone whose first message is the SMS has nothing else to go by: its language is the guess."""
    reply = await bot.say("Masa aktif kartu Anda s.d. 31-01-2027. Terima kasih.")
    assert "masa aktif sampai" in reply.body, reply.body
    assert await language(bot) == "id"


async def test_the_users_own_sentence_still_says_their_language(bot: ChatBot) -> None:
    """A question in the user's own words is no quote: it switches the language as before."""
    await bot.say("add telkomsel +10d Mum")
    await bot.say("我的卡什么时候到期呢请告诉我谢谢")
    assert await language(bot) == "zh-Hans"


# --- "did you mean ...?" is a question: yes answers it -------------------------------------------

@pytest.mark.parametrize(("typo", "answer", "then"), [
    ("add axsi 2027-01-01 My phone", "yes", "My phone · AXIS"),
    ("ad axis 2027-01-01 My phone", "ok", "My phone · AXIS"),
    ("tamba xl besok HP Ibu", "ya", "HP Ibu · XL"),
    ("添加 telkomsell 2027年1月1日 妈妈", "是", "妈妈 · Telkomsel"),
])
async def test_yes_to_did_you_mean_sends_the_corrected_command(bot: ChatBot, typo: str, answer: str, then: str) -> None:
    """The bot asked "Did you mean "axis"?" and the answer "yes" got "There is nothing waiting
    for a yes": a new user's first typo ended in two errors."""
    asked = await bot.say(typo)
    assert answer in asked.body or "yes" in asked.body, asked.body
    await bot.say(answer)
    [line] = await bot.lines()
    assert then in (await bot.say("list")).body
    assert line.number == 1


async def test_no_drops_the_correction_and_a_retyped_command_ends_it(bot: ChatBot) -> None:
    await bot.say("lsit")
    assert "dropped" in (await bot.say("no")).body
    assert "nothing waiting" in (await bot.say("yes")).body
    await bot.say("ad axis 2027-01-01 x")
    await bot.say("add axis 2027-01-01 x")  # typed again by hand
    assert "nothing waiting" in (await bot.say("ok")).body  # no second line
    assert await bot.count() == 1


async def test_a_typo_never_replaces_a_waiting_offer(bot: ChatBot) -> None:
    """A pasted notice waits for its yes; "lsit" in between must not take the yes over."""
    await bot.say("add telkomsel +10d Mum")
    await bot.say("Telkomsel: Masa aktif kartu Anda s.d. 31-01-2027. Terima kasih.")
    assert "yes" not in (await bot.say("lsit")).body.split("Did you mean")[1].split("Send")[0]
    assert "31 Jan 2027" in (await bot.say("yes")).body
    assert (await bot.line()).expiry.isoformat() == "2027-01-31"


@pytest.mark.parametrize("typo", ["halp", "xyzzy", "ye"])
async def test_no_offer_without_a_command_to_run(bot: ChatBot, typo: str) -> None:
    assert "Reply yes" not in (await bot.say(typo)).body
    assert "nothing waiting" in (await bot.say("yes")).body


# --- thanks ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("said", "welcome"), [
    ("thanks", "You're welcome"), ("ok thanks!", "You're welcome"), ("Thank you so much", "You're welcome"),
    ("terima kasih", "You're welcome"), ("makasih ya", "Sama-sama"), ("谢谢", "不客气"), ("多謝晒", "不客氣"),
])
async def test_thanks_gets_youre_welcome(bot: ChatBot, said: str, welcome: str) -> None:
    """"thanks" got "Did you mean "no"?" and "terima kasih" "Did you mean "check"?" (with the
    offer to run "check kasih")."""
    await bot.say("add axis +30d")
    reply = await bot.say(said)
    assert welcome in reply.body and "Did you mean" not in reply.body, reply.body
    assert await bot.count() == 1  # and nothing was offered to run


async def test_a_sentence_with_kasih_is_no_thanks(bot: ChatBot) -> None:
    assert "welcome" not in (await bot.say("tolong kasih tahu")).body


@pytest.mark.parametrize("refusal", ["no thanks", "tidak, terima kasih", "不用了，谢谢"])
async def test_no_thanks_is_no_thanks(bot: ChatBot, refusal: str) -> None:
    assert "welcome" not in (await bot.say(refusal)).body and "不客气" not in (await bot.say(refusal)).body


async def test_a_second_typo_gets_its_own_suggestion(bot: ChatBot) -> None:
    """A suggestion waiting for its yes is replaced by the next one (only real offers are kept)."""
    await bot.say("add china mobile 2027-01-01")
    assert "Reply yes" in (await bot.say("add axsi 2027-01-01 Work")).body
    await bot.say("yes")
    [line] = await bot.lines()
    assert (line.provider, line.label) == ("axis", "Work")


async def test_an_import_preview_shows_an_offset_zone_as_typed(bot: ChatBot) -> None:
    csv = ("# renewal-bot export 1\n# setting,timezone,Etc/GMT-8\n"
           "number,provider,label,expiry,lead_days,reminders,mention,history,plan\n1,axis,Work,2027-01-20,,on,,,\n")
    preview = await bot.run(bot.dm(attachment=csv.encode()), "import")
    assert "timezone UTC+8" in preview.body and "Etc/" not in preview.body, preview.body


@pytest.mark.parametrize(("typo", "meant"), [
    ("catalog status", "help"), ("a a a", "help"), ("nope", "help"), ("cancle", "no"), ("confrim", "yes"),
])
async def test_yes_and_no_are_suggested_only_for_a_close_miss(bot: ChatBot, typo: str, meant: str) -> None:
    """"catalog status" (not an admin) got "Did you mean "no"?" and "a" "... "yes"?": the short
    answer words (batal, ya) are near many words."""
    reply = await bot.say(typo)
    assert f'Did you mean "{meant}"?' in reply.body, reply.body


async def test_nothing_to_confirm_in_a_group_room_shows_the_prefix(bot: ChatBot) -> None:
    """In a group room the hint "type: add yes <expiry>" would be ignored: it needs "!add"."""
    assert "!add yes <expiry>" in (await bot.say("yes", room="!group:example.org")).body
    assert "type: add yes <expiry>" in (await bot.say("yes")).body


async def test_a_second_typo_replaces_the_first_correction(bot: ChatBot) -> None:
    """"lsit" offered "list"; the next typo ("add axsi ...") got no offer because one was waiting,
    and the "yes" that answered the second question ran the first one ("list")."""
    await bot.say("lsit")
    asked = await bot.say("add axsi 2027-01-01 x")
    assert "Reply yes" in asked.body, asked.body
    assert "x · AXIS" in (await bot.say("yes")).body
    assert await bot.count() == 1


@pytest.mark.parametrize("between", ["add axis 2027-02-30 x", "xyzzy", "remove 9"])
async def test_a_failed_command_also_ends_the_correction(bot: ChatBot, between: str) -> None:
    """"dlete 1" offered "remove 1"; a later command that failed (a bad date, an unknown word, a
    line that is not there) left the offer waiting, so a "yes" minutes later removed line 1."""
    await bot.say("add axis 2027-01-30 keep me")
    assert "Reply yes" in (await bot.say("dlete 1")).body
    await bot.say(between)
    assert "nothing waiting" in (await bot.say("yes")).body
    assert await bot.count() == 1


@pytest.mark.parametrize("typed", ["UTC＋8", "ＧＭＴ＋８", "gmt＋08:00"])
async def test_an_offset_typed_with_a_chinese_input_method(bot: ChatBot, typed: str) -> None:
    """A Chinese input method in Chinese mode types the full-width ＋ (and often full-width
    letters): "UTC＋8" was "not a time zone I know"."""
    assert "UTC+8" in (await bot.say(f"timezone {typed}")).body
    async with bot.store.read() as tx:
        assert (await bot.svc.owner(tx, ALICE)).timezone == "Etc/GMT-8"


async def test_the_correction_mends_the_provider_not_the_same_word_in_the_label(bot: ChatBot) -> None:
    """The last "axsi" was replaced, the one in the label: the yes sent the same typo again."""
    assert "add axis 2027-01-01 axsi phone" in (await bot.say("add axsi 2027-01-01 axsi phone")).body
    assert "axsi phone · AXIS" in (await bot.say("yes")).body


async def test_the_correction_mends_a_provider_glued_to_a_chinese_command(bot: ChatBot) -> None:
    """"添加axsi ..." (no space after the Chinese command word) must still get its offer."""
    asked = await bot.say("添加axsi 2027年1月1日 妈妈")
    assert "添加axis 2027年1月1日 妈妈" in asked.body, asked.body
    assert "妈妈 · AXIS" in (await bot.say("是")).body


@pytest.mark.parametrize(("said", "label"), [("add axis Work phone 2027-01-01", "Work phone"),
                                             ("add xl my mum 2027-01-01", "my mum")])
async def test_a_label_before_the_date_is_not_swallowed_into_the_provider(bot: ChatBot, said: str, label: str) -> None:
    """"axis Work phone" resolved to AXIS (every *known* word named AXIS), so the line was added
    without its label and without a word to the user; now the unknown words make it a question."""
    reply = await bot.say(said)
    assert "Line 1 added" not in reply.body, reply.body
    assert await bot.count() == 0


@pytest.mark.parametrize("said", ["thanks, add axis +30d", "terima kasih, tambah axis +30d", "谢谢 add axis +30d"])
async def test_a_command_after_thanks_is_not_swallowed_by_a_welcome(bot: ChatBot, said: str) -> None:
    """Review: "thanks, add axis +30d" answered "You're welcome!" and silently added nothing."""
    reply = await bot.say(said)
    assert "welcome" not in reply.body and "Sama-sama" not in reply.body and "不客气" not in reply.body, reply.body
