"""How Korean office sheets write numbers, rates, units, dates, half-years and funding splits."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from kpi.domain.units import MONEY_UNITS
from kpi.importers.issues import Issues, clip

Blank = Literal["zero", "missing"]
NEGATIVE_MARKS = ("△", "▲")
DASHES = frozenset({"-", "–", "—", "―", "‐", "−", "ㅡ"})
_PLAIN = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_SLIPPED = re.compile(r"^[+-]?\d+(,\d+)+(\.\d+)?$")
_SUFFIX = re.compile(r"\s*(명|건|개소|개|회|곳|%)$")
# Invisible format characters (Unicode Cf): zero-width space/joiners, bidi marks, embeddings, overrides and
# isolates, word joiner, BOM, soft hyphen. They come from web pages and word processors, or are planted to make
# two names look alike or read backwards; they are removed from every cell's text.
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")
MAX_NUMBER = 10**18  # no figure in a sheet is larger; it keeps every later sum and rounding exact
_MAX_DEC, _MAX_FLOAT = Decimal(MAX_NUMBER), float(MAX_NUMBER)
MAX_WON = 10**15  # 1,000조 원: far beyond any local budget, and well inside BIGINT (9.2 x 10^18)


class CellError(ValueError):
    """A cell that cannot be read; carries a code and Korean/English messages."""

    def __init__(self, code: str, ko: str, en: str) -> None:
        """A cell problem with its issue code and Korean and English messages."""
        super().__init__(en)
        self.code, self.ko, self.en = code, ko, en


@dataclass(frozen=True)
class Num:
    """A parsed number (None = missing) and an optional (code, ko, en) warning about how it was read."""

    value: Decimal | None
    warning: tuple[str, str, str] | None = None


def clean_text(value: object) -> str:
    """NFKC-normalised, stripped text of a cell without invisible format characters (full-width digits become
    ASCII, NFD Hangul is composed; None -> '')."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).replace("\u00a0", " ")
    return INVISIBLE.sub("", text).strip() if not text.isascii() else text.strip()


def has_invisible(value: object) -> bool:
    """True for a text cell holding invisible format characters (zero-width, bidi controls, BOM)."""
    return isinstance(value, str) and INVISIBLE.search(value) is not None


def read_name(value: object, issues: Issues, *, sheet: str, row: int, col: int) -> str:
    """A name cell as clean text; invisible format characters are removed, with a warning naming the cell."""
    name = clean_text(value)
    if has_invisible(value):
        issues.warning(
            "invisible_chars_removed",
            f"'{clip(name)}'에 보이지 않는 문자(폭 없는 공백, 글자 방향 제어 문자 등)가 있어 지우고 "
            "읽었습니다. 원본 셀에서도 지워 두세요.",
            f"Removed invisible characters (zero-width, bidi controls) from {clip(name)!r}.",
            sheet=sheet,
            row=row,
            col=col,
            value=name,
        )
    return name


def _too_large(raw: object) -> CellError:
    """A number beyond MAX_NUMBER: no sheet figure is that large."""
    return CellError(
        "number_too_large",
        f"'{clip(raw)}'은(는) 너무 큰 수입니다. 값과 단위를 확인해 고쳐 주세요.",
        f"{clip(raw)!r} is too large to be a figure of this sheet.",
    )


def _blank(blank: Blank) -> Num:
    """What a blank cell reads as: 0 when blank='zero', else missing (None)."""
    return Num(Decimal(0) if blank == "zero" else None)


def parse_number(value: object, *, blank: Blank = "zero") -> Num:
    """Read a number cell: separators, △/▲ negatives, '-'/blank = zero or missing, '1,9235' -> 19235 + warning."""
    if isinstance(value, bool):
        raise CellError(
            "number_invalid",
            "숫자 칸에 참/거짓 값이 있습니다. 숫자를 입력하세요.",
            "A boolean where a number is expected.",
        )
    if isinstance(value, int):
        if abs(value) > MAX_NUMBER:
            raise _too_large(value)
        return Num(Decimal(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            shown = "NaN" if math.isnan(value) else "무한대(∞)"
            raise CellError(
                "number_invalid",
                f"숫자 칸에 계산할 수 없는 값({shown})이 있습니다. 올바른 숫자를 입력하세요.",
                f"{value} (not a finite number) where a number is expected.",
            )
        if abs(value) > _MAX_FLOAT:
            raise _too_large(value)
        return Num(Decimal(repr(value)))
    if isinstance(value, (date, datetime)):
        raise CellError(
            "number_invalid", "숫자 칸에 날짜가 있습니다. 숫자를 입력하세요.", "A date where a number is expected."
        )
    raw = str(value) if value is not None else ""
    text = clean_text(raw)
    if text == "" or text in DASHES or raw.strip() in DASHES:
        return _blank(blank)
    sign = 1
    if text[0] in NEGATIVE_MARKS or raw.strip()[:1] in NEGATIVE_MARKS:
        sign, text = -1, text[1:].strip()
    text = _SUFFIX.sub("", text).replace(" ", "")
    if text.startswith("-"):
        sign, text = -sign, text[1:]
    elif text.startswith("+"):
        text = text[1:]
    slipped = not _PLAIN.match(text)
    if slipped and not _SLIPPED.match(text):
        raise CellError(
            "number_text",
            f"'{clip(raw.strip())}'은(는) 숫자로 읽을 수 없습니다. 숫자만 입력하세요 (예: 1,339).",
            f"{clip(raw.strip())!r} is not a number; enter digits only (e.g. 1,339).",
        )
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - guarded by the regexes
        raise CellError(
            "number_text", f"'{clip(raw)}'은(는) 숫자가 아닙니다.", f"{clip(raw)!r} is not a number."
        ) from None
    if number > _MAX_DEC:
        raise _too_large(raw.strip())
    warning = None
    if slipped:
        warning = (
            "separator_misplaced",
            f"천 단위 쉼표 위치가 맞지 않습니다: '{clip(raw.strip())}'을(를) {fmt_dec(number)}(으)로 "
            "읽었습니다. "
            "맞는지 확인하세요.",
            f"Misplaced thousands separator: read {clip(raw.strip())!r} as {fmt_dec(number)}; please check.",
        )
    return Num(sign * number, warning)


def percent_candidates(value: object) -> list[Decimal]:
    """Readings of a rate cell in percent: 40.0, '40.0%' -> [40.0]; 0.4 -> [40.0, 0.4] (fraction or small rate)."""
    text = clean_text(value) if isinstance(value, str) else ""
    num = parse_number(value, blank="missing").value
    if num is None:
        return []
    if text.endswith("%"):
        return [num]
    if abs(num) <= 1:
        return [num * 100, num]
    return [num]


@dataclass(frozen=True)
class Units:
    """A units line: money multiplier to 원 (None when no money unit) and the other unit words."""

    money: int | None
    others: tuple[str, ...] = ()


_UNITS = re.compile(r"(?:[(\[（]\s*단위\s*[:：]?|단위\s*[:：])\s*([^)\]）]*)")


def parse_units(text: object) -> Units | None:
    """Read '(단위: 천원)', '(단위:천원)', '(단위: 백만원)', '(단위: 천원, 명)'; None when the text has no units."""
    m = _UNITS.search(clean_text(text))
    if not m:
        return None
    money, others = None, []
    for token in re.split(r"[,/·、\s]+", m.group(1)):
        token = token.strip()
        if not token:
            continue
        if token in MONEY_UNITS:
            money = money or MONEY_UNITS[token]
        else:
            others.append(token)
    return Units(money, tuple(others))


def header_money_unit(text: object) -> int | None:
    """Money unit written inside a header cell, e.g. '예산액(천원)' -> 1000."""
    for inner in re.findall(r"[(\[]([^)\]]*)[)\]]", clean_text(text)):
        token = inner.replace("단위", "").strip(" :")
        if token in MONEY_UNITS:
            return MONEY_UNITS[token]
    return None


_FULL = re.compile(r"(?<!\d)(\d{4})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})(?!\d)")
_APOS = re.compile(r"['’‘`](\d{2})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})(?!\d)")
_MONTH_END = re.compile(r"(?<!\d)(?:(\d{4})\s*[.년]\s*)?(\d{1,2})\s*월\s*말")
_SHORT = re.compile(r"(?<![\d.])(\d{1,2})\s*[.월]\s*(\d{1,2})\s*[.일]?\s*\)?\s*기준")


def _make_date(year: int, month: int, day: int, raw: str) -> date:
    """The date of year, month and day; a day that does not exist is a date_invalid CellError."""
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(
            "date_invalid",
            f"'{clip(raw)}'은(는) 없는 날짜입니다. 기준일을 고쳐 주세요.",
            f"{clip(raw)!r} is not a valid date; fix the as-of date.",
        ) from None


def parse_as_of(value: object, year_hint: int | None = None) -> date | None:
    """Read an as-of date: '(2024. 5. 31.기준)', "'24. 5. 31.", '(5.31.기준)' (year from year_hint), '5월말 기준'."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = clean_text(value)
    if not text:
        return None
    if m := _FULL.search(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _APOS.search(text):
        return _make_date(2000 + int(m[1]), int(m[2]), int(m[3]), text)
    m_end = _MONTH_END.search(text) if "기준" in text else None
    m_short = _SHORT.search(text)
    if not (m_end or m_short):
        return None
    year = int(m_end[1]) if m_end and m_end[1] else year_hint
    if year is None:
        raise CellError(
            "as_of_year_missing",
            f"기준일 '{clip(text)}'에 연도가 없습니다. '(2024. 5. 31. 기준)'처럼 연도를 적거나 "
            "업로드할 때 기준일을 고르세요.",
            f"The as-of date {clip(text)!r} has no year; write it with the year or choose the as-of date.",
        )
    if m_short:
        return _make_date(year, int(m_short[1]), int(m_short[2]), text)
    assert m_end is not None
    month = int(m_end[2])
    nxt = date(year + (month == 12), month % 12 + 1, 1) if 1 <= month <= 12 else None
    if nxt is None:
        raise CellError(
            "date_invalid", f"'{clip(text)}'의 월이 올바르지 않습니다.", f"Invalid month in {clip(text)!r}."
        )
    return date.fromordinal(nxt.toordinal() - 1)


def looks_like_as_of(value: object) -> bool:
    """True for a cell that states an as-of date ('기준' with a date, or an apostrophe date)."""
    text = clean_text(value)
    return bool(
        ("기준" in text and (_FULL.search(text) or _SHORT.search(text) or _MONTH_END.search(text)))
        or _APOS.search(text)
    )


_HALF_SLASH = re.compile(r"(?<!\d)(\d{4})\s*[.\-년]?\s*([12])\s*/\s*2(?!\d)")
_HALF_WORD = re.compile(r"(?:(\d{4})\s*년?|['’](\d{2}))?\s*(상|하)\s*반기")
_HALF_H = re.compile(r"(?<!\d)(\d{4})\s*[.\- ]?\s*H([12])(?!\d)", re.IGNORECASE)


def parse_half(value: object, year_hint: int | None = None) -> tuple[int, int] | None:
    """Read a half-year: '2025.1/2', '2025년 상반기', "'25 하반기", '2025 H1', '상반기' (year from year_hint)."""
    text = clean_text(value)
    if m := _HALF_SLASH.search(text):
        return int(m[1]), int(m[2])
    if m := _HALF_H.search(text):
        return int(m[1]), int(m[2])
    if m := _HALF_WORD.search(text):
        year = int(m[1]) if m[1] else (2000 + int(m[2]) if m[2] else year_hint)
        return (year, 1 if m[3] == "상" else 2) if year else None
    return None


SPLIT_LABELS: dict[str, str] = {
    "국": "national",
    "국비": "national",
    "국고": "national",
    "국고보조금": "national",
    "시": "city",
    "시비": "city",
    "구": "district",
    "구비": "district",
    "기타": "other",
    "기금": "other",
}


@dataclass(frozen=True)
class Split:
    """A funding-split cell: the total, its parts by source key, and a money unit written in the cell (or None)."""

    total: Decimal
    parts: dict[str, Decimal] = field(default_factory=dict)
    unit: int | None = None


_SPLIT = re.compile(r"^(.*?)\s*[(（](.*)[)）]\s*$", re.S)
_PART = re.compile(r"([가-힣A-Za-z]+)\s*[:：]?\s*([△▲+\-]?\s*(?:\d[\d,.]*\d|\d))")


def _strip_money_unit(text: str) -> tuple[str, int | None]:
    """Text without a trailing money unit (longest name first) and that unit's multiplier, or None."""
    for name in sorted(MONEY_UNITS, key=len, reverse=True):
        if text.endswith(name):
            return text[: -len(name)].strip(), MONEY_UNITS[name]
    return text, None


def parse_split(value: object, half: Decimal = Decimal(0)) -> Split:
    """Read '471,844 (국 126,447, 시 29,504, 구비 315,893)' into total + parts, checking that the parts add up
    (within half a shown step per part when the amounts are rounded: `half`)."""
    if not isinstance(value, str):
        total = parse_number(value).value
        return Split(total if total is not None else Decimal(0))
    text = clean_text(value)
    m = _SPLIT.match(text)
    head, inner = (m[1], m[2]) if m else (text, "")
    head, unit = _strip_money_unit(head.strip())
    num = parse_number(head)
    if num.warning:
        raise CellError(num.warning[0], num.warning[1], num.warning[2])
    total = num.value if num.value is not None else Decimal(0)
    if not m:
        return Split(total, {}, unit)
    parts: dict[str, Decimal] = {}
    for label, amount in _PART.findall(inner):
        key = SPLIT_LABELS.get(label)
        if key is None:
            raise CellError(
                "split_source_unknown",
                f"재원 '{clip(label)}'을(를) 알 수 없습니다. 국비/시비/구비/기타 중 하나로 적어 주세요.",
                f"Unknown funding source {clip(label)!r}; use 국비/시비/구비/기타.",
            )
        if key in parts:
            raise CellError(
                "split_source_duplicate",
                f"재원 '{label}'이(가) 두 번 적혀 있습니다.",
                f"Funding source {label!r} appears twice.",
            )
        part = parse_number(amount.replace(" ", ""))
        if part.warning:
            raise CellError(part.warning[0], part.warning[1], part.warning[2])
        parts[key] = part.value or Decimal(0)
    if not parts:
        raise CellError(
            "split_unreadable",
            f"괄호 안의 재원 내역 '{clip(inner)}'을(를) 읽을 수 없습니다. '(국 "
            "1,000, 시 2,000, 구비 3,000)'처럼 적어 주세요.",
            f"Cannot read the funding split {clip(inner)!r}; write it like '(국 1,000, 시 2,000, 구비 3,000)'.",
        )
    added = sum(parts.values(), Decimal(0))
    if abs(added - total) > half * len(parts):
        raise CellError(
            "split_mismatch",
            f"재원별 합계 {fmt_dec(added)}이(가) 총액 {fmt_dec(total)}과(와) 다릅니다 (차이 "
            f"{fmt_dec(total - added)}). "
            "총액이나 재원별 금액을 고쳐 주세요.",
            f"The parts add up to {fmt_dec(added)}, not the stated total {fmt_dec(total)}.",
        )
    return Split(total, parts, unit)


def fmt_dec(value: Decimal | int | float, *, group: bool = True) -> str:
    """The one formatter of numbers in messages: separators, no zero fraction (7231263.0 -> '7,231,263', 7231.30
    -> '7,231.30'); group=False leaves out the separators (a year: 2024.0 -> '2024')."""
    dec = Decimal(str(value))
    if not dec.is_finite():
        return str(value)
    if dec == dec.to_integral_value():
        return f"{int(dec):,}" if group else str(int(dec))
    return f"{dec:,f}" if group else f"{dec:f}"


def shown(value: object, limit: int = 40, *, group: bool = True) -> str:
    """A cell as a message quotes it: a number through fmt_dec (a float cell 7231263.0 -> '7,231,263'), text
    as typed, at most `limit` characters."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return clip(fmt_dec(value, group=group), limit)
    return clip(value, limit)


_DECIMALS = re.compile(r"\d\.(\d+)")


def shown_decimals(value: object) -> int:
    """Decimal places a number cell shows: digits after the point as typed in text ('7,231.30' -> 2); a float
    cell without its trailing zeros (7231.3 -> 1, 7231.0 -> 0: Excel stores no display format we read)."""
    if isinstance(value, bool):
        return 0
    if isinstance(value, (float, Decimal)):
        try:
            dec = Decimal(repr(value)) if isinstance(value, float) else value
            exponent = dec.normalize().as_tuple().exponent
        except (InvalidOperation, ValueError):
            return 0
        return -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if isinstance(value, str):
        return max((len(m) for m in _DECIMALS.findall(clean_text(value))), default=0)
    return 0


def to_won(amount: Decimal, multiplier: int) -> int:
    """An amount in the sheet's unit to whole 원, rounding half up; beyond ±MAX_WON (1,000조 원) is a CellError."""
    won = int((amount * multiplier).quantize(Decimal(1), ROUND_HALF_UP))
    if abs(won) > MAX_WON:
        raise CellError(
            "number_too_large",
            f"금액이 {fmt_dec(won)}원으로 너무 큽니다 (한도 1,000조 원). 금액과 단위(천원·백만원)를 "
            "확인해 고쳐 주세요.",
            f"The amount is {fmt_dec(won)} won, beyond the limit of 10^15 won; check the amount and the unit.",
        )
    return won
