"""``help`` and ``help <command>``: the command list, or one command's entry."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.commands.base import Command, CommandSpec, Parsed


@dataclass(frozen=True)
class Help(Command):
    topic: str | None = None  # a canonical command name, or what was typed if it is none


def _p_help(p: Parsed, today: date, lang: str) -> Command:
    # The registry is built from this module too: read it when a command is parsed, not at import.
    from bot.core.commands import aliases_starting, canonical, is_command

    if p.word.lower() in GREETINGS:
        return Help()  # "hi there", "你好呀": a greeting opens the command list, whatever follows
    if not p.tokens:
        return Help()
    first = p.tokens[0].lower()
    for said in (p.rest.lower(), first):  # "help forget me": a command named in several words
        if is_command(canonical(said)):
            return Help(topic=canonical(said))
    # "help forget": the command one of whose several-word aliases starts with the word.
    return Help(topic=aliases_starting(first + " ") or first)


#: Greetings people open a chat with (and Telegram habits): answered with the command list rather
#: than "unknown command", which is a poor first reply.
GREETINGS = ("hi", "hello", "hey", "halo", "hai", "helo", "hallo", "hola", "你好", "您好", "哈囉", "哈喽",
             "嗨", "/start", "/help", "start")


#: Thanks, in the bot's languages: answered with a short "you're welcome", never "unknown command,
#: did you mean no?" ("thanks") or "... check?" ("terima kasih").
THANKS_WORDS = frozenset({"thanks", "thank", "thx", "ty", "tq", "tqvm", "tysm", "tks", "makasih", "makasi",
                          "trims", "thankyou", "thanku"})
THANKS_HAN = ("谢谢", "謝謝", "多谢", "多謝", "感谢", "感謝", "唔该", "唔該", "谢啦", "謝啦")


def is_thanks(text: str) -> bool:
    """A short message that only says thanks ("thanks!", "ok terima kasih", "好的谢谢", "多謝晒"):
    every word a thanks word or a filler, so "thanks, add axis +30d" is not swallowed by a
    you're-welcome (it is a command with a word in front, answered as such)."""
    s = text.casefold().strip()
    if s.startswith("不"):
        return False  # "不用了，谢谢": a refusal, not thanks
    han = any(h in s for h in THANKS_HAN)
    if han:
        for h in THANKS_HAN:
            s = s.replace(h, " ")
        s = "".join(" " if ch in _HAN_FILLER else ch for ch in s)
    words = "".join(ch if ch.isalnum() else " " for ch in s).split()
    if han:
        return all(w in _FILLER or w in THANKS_WORDS for w in words)
    if not words or len(words) > 6 or words[0] in _REFUSALS:
        return False  # "no thanks" answers an offer: not a "you're welcome"
    if not all(w in THANKS_WORDS or w in _FILLER for w in words):
        return False
    return any(w in THANKS_WORDS for w in words) or " terima kasih " in f" {' '.join(words)} "


#: Words that may stand around a thanks without making it something else.
_FILLER = frozenset({
    "ok", "okay", "oke", "okey", "okie", "k", "so", "much", "very", "a", "lot", "lots", "alot", "you",
    "u", "again", "ya", "yah", "yeah", "yup", "ye", "bro", "sis", "bot", "guys", "all", "dear", "boss",
    "mate", "sir", "nice", "great", "cool", "good", "banyak", "sangat", "lah", "la", "kasih",
    "terima", "deh", "ah", "noted", "got", "it", "sure",
})
_HAN_FILLER = frozenset("好的啦了哦喔晒曬你您呀哈非常太啊多大家老板老闆哥姐嘅喇咯噢嗯唷")


_REFUSALS = frozenset({"no", "nope", "nah", "tidak", "tak", "gak", "nggak", "ga", "enggak", "tiada", "bukan"})


#: Where this module's rows stand in help, among the topic modules (smaller: earlier).
HELP_RANK = 10
#: This module's rows of the registry (:data:`bot.core.commands.COMMANDS`), in help order.
COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("help", Help, ("help", "h", "?", "commands", "帮助", "幫助", "bantuan", "tolong", *GREETINGS),
                _p_help, slow=True),
)
