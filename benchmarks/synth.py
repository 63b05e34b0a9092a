"""Generated Russian news articles for load tests: meetings of real office holders (from the KB) on
random days, with copies of earlier articles (other outlets' chrome) and second reports of the same
meeting in other words, so that merging has work to do. Deterministic for a seed.

    python benchmarks/synth.py N OUT.jsonl
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from pathlib import Path

MONTHS = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"]
COUNTRIES = {"KAZ": ("Казахстана", "Астане", "Астана"), "KGZ": ("Кыргызстана", "Бишкеке", "Бишкек"),
             "UZB": ("Узбекистана", "Ташкенте", "Ташкент"), "TJK": ("Таджикистана", "Душанбе", "Душанбе"),
             "TKM": ("Туркменистана", "Ашхабаде", "Ашхабад"), "RUS": ("России", "Москве", "Москва"),
             "CHN": ("Китая", "Пекине", "Пекин"), "TUR": ("Турции", "Анкаре", "Анкара")}
TOPICS = ["торгово-экономического сотрудничества", "транспорта и транзита", "водно-энергетических вопросов",
          "региональной безопасности", "культурно-гуманитарных связей", "инвестиционных проектов", "трудовой миграции"]


def _ministers(day: dt.date) -> dict[str, str]:
    from kurultai.kb import load_kb

    kb = load_kb()
    out = {}
    for iso in COUNTRIES:
        holders = kb.holders("foreign_minister", iso, day)
        if holders:
            out[iso] = holders[0].names.get("ru") or holders[0].name_en
    return out


def _inflect(name: str) -> str:
    """Instrumental of a 'First Last' Russian name, for 'с министром ... X': good enough for the test texts."""
    first, _, last = name.partition(" ")
    def ins(w: str) -> str:
        if w.endswith(("ов", "ев", "ин")):
            return w + "ым"
        if w.endswith("й"):
            return w[:-1] + "ем"
        if w.endswith(("а", "я")):
            return w
        if w.endswith(("о", "и", "е", "у")):
            return w
        return w + "ом"
    return f"{ins(first)} {ins(last)}" if last else ins(first)


def generate(n: int, seed: int = 1) -> list[dict]:
    rnd = random.Random(seed)
    docs: list[dict] = []
    cache: dict[dt.date, dict[str, str]] = {}
    while len(docs) < n:
        kind = rnd.random()
        if docs and kind < 0.05:  # a copy of an earlier article with another site's chrome
            src = rnd.choice(docs)
            docs.append({"id": f"g{len(docs)}", "text": "Главное\nПолитика\n" + src["text"] + "\nПоделиться\nКомментарии (0)",
                         "published": src["published"]})
            continue
        day = dt.date(2023, 1, 1) + dt.timedelta(days=rnd.randrange(700))
        if day not in cache:
            cache[day] = _ministers(day)
        mins = cache[day]
        a, b = rnd.sample(sorted(mins), 2)
        place = COUNTRIES[a][1]
        topics = rnd.sample(TOPICS, 3)
        second = any("a" in d for d in docs) and kind < 0.15
        if second:  # another outlet's report of an earlier meeting
            prev = rnd.choice([d for d in docs if "a" in d])
            day, a, b, place = dt.date.fromisoformat(prev["published"]), prev["a"], prev["b"], prev["place"]
            mins = cache.get(day) or _ministers(day)
        amount = rnd.choice([None, None, 1.2, 2, 3.5, 800])
        city = next(v[2] for v in COUNTRIES.values() if v[1] == place)
        head = f"{city}, {day.day} {MONTHS[day.month - 1]} {day.year} года\n"
        if second:
            body = (f"Министры иностранных дел {COUNTRIES[a][0]} и {COUNTRIES[b][0]} встретились сегодня в {place}. "
                    f"В центре внимания были вопросы {topics[0]}.")
        else:
            body = (f"Сегодня в {place} министр иностранных дел {COUNTRIES[a][0]} {mins[a]} провел переговоры с министром "
                    f"иностранных дел {COUNTRIES[b][0]} {_inflect(mins[b])}. Стороны обсудили вопросы {topics[0]}, "
                    f"{topics[1]} и {topics[2]}.")
            if amount:
                unit = "млн" if amount > 100 else "млрд"
                body += f" Товарооборот между странами в прошлом году составил {amount:g} {unit} долларов."
            body += f" Документ № {len(docs)} серии."
        docs.append({"id": f"g{len(docs)}", "text": head + body, "published": day.isoformat(), "a": a, "b": b, "place": place})
    return [{"id": d["id"], "text": d["text"], "published": d["published"]} for d in docs]


# news that holds no diplomatic event, as most of an agency's archive: economy, sport, weather, culture,
# accidents, in four languages; some name states and cities, some use an encounter word in another sense
NEGATIVE_TEMPLATES = [
    "Курс доллара на бирже {city} вырос на {n} копеек. Аналитики связывают это с ценами на нефть и металлы.",
    "Экспорт пшеницы из {country} за {n} месяцев вырос на {n} процентов, сообщили в министерстве сельского хозяйства.",
    "В {city} завершился чемпионат по вольной борьбе: спортсмены {country} завоевали {n} золотых медалей.",
    "Синоптики обещают в {city} дождь и сильный ветер, температура опустится до плюс {n} градусов.",
    "В {city} открылась выставка современного искусства, на ней представлено {n} работ молодых художников.",
    "На трассе под {city} столкнулись два грузовика, пострадали {n} человек, возбуждено уголовное дело.",
    "Встреча выпускников школы номер {n} прошла в актовом зале, пришли более ста человек.",
    "Inflation in the region slowed to {n} percent in the third quarter, the statistics agency said on Monday.",
    "The national football team will play {n} friendly matches before the autumn qualifiers, the coach said.",
    "A new metro line with {n} stations opened on Saturday; the fare stays at the same price until spring.",
    "Ертең елдің батыс өңірлерінде жаңбыр жауады, желдің екпіні секундына {n} метрге жетеді.",
    "Биыл республикада {n} мың гектар жерге бидай егілді, деп хабарлады ауыл шаруашылығы министрлігі.",
    "Bugun poytaxtda yangi kutubxona ochildi, unda {n} mingdan ortiq kitob bor.",
    "Viloyatda paxta hosili {n} foizga oshdi, dehqonlar yangi texnikadan foydalanmoqda.",
]


def negatives(n: int, seed: int = 2) -> list[dict]:
    """`n` generated articles without a diplomatic event (the prefilter's work: it should drop them)."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        iso = rnd.choice(sorted(COUNTRIES))
        text = rnd.choice(NEGATIVE_TEMPLATES).format(city=COUNTRIES[iso][1], country=COUNTRIES[iso][0],
                                                     n=rnd.randrange(2, 90))
        day = dt.date(2023, 1, 1) + dt.timedelta(days=rnd.randrange(700))
        out.append({"id": f"n{i}", "text": f"{text} Материал № {i}.", "published": day.isoformat()})
    return out


def mixed(n: int, share: float, seed: int = 1) -> list[dict]:
    """`n` articles of which `share` are diplomatic (`generate`), the rest `negatives`, dealt together."""
    k = round(n * share)
    docs = generate(k, seed) + negatives(n - k, seed + 1)
    random.Random(seed).shuffle(docs)
    return docs


def write_jsonl(path: Path, n: int, seed: int = 1, share: float = 1.0) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for d in (generate(n, seed) if share >= 1.0 else mixed(n, share, seed)):
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    write_jsonl(Path(sys.argv[2]), int(sys.argv[1]))
