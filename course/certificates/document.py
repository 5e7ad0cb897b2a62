"""The certificate as a PDF (fpdf2): the name (any script: Urdu names are shaped with HarfBuzz
and set in Noto Nastaliq Urdu), the track, the dates and the verification code.

Pure: facts in, bytes out, so it runs outside any database transaction. The fonts are vendored
in fonts/ (SIL Open Font License, see fonts/COPYRIGHT-noto) so every machine prints the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "fonts"
INK = (33, 37, 41)
ACCENT = (0, 84, 110)
MUTED = (90, 98, 104)


@dataclass(frozen=True)
class Facts:
    academy: str
    course: str
    name: str
    track: str  # the track's title, e.g. "Officer refresher"
    completed_on: date
    expires_on: date
    code: str
    verify_hint: str  # where to check it, e.g. "Verify on the course's Verify a certificate page"


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _fitting(pdf: FPDF, text: str, size: float, width: float) -> float:
    """The largest size up to `size` (not under 12 points) at which `text` fits on one line."""
    while size > 12:
        pdf.set_font("serif", "B", size)
        if pdf.get_string_width(text) <= width:
            break
        size -= 1
    return size


def render(facts: Facts) -> bytes:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(f"Certificate {facts.code}")
    pdf.set_author(facts.academy)
    pdf.set_creator(facts.course)
    pdf.add_font("serif", "", FONTS / "NotoSerif-Regular.ttf")
    pdf.add_font("serif", "B", FONTS / "NotoSerif-Bold.ttf")
    pdf.add_font("nastaliq", "", FONTS / "NotoNastaliqUrdu-Regular.ttf")
    # a name in Arabic script falls back to Nastaliq, the way Urdu is written
    pdf.set_fallback_fonts(["nastaliq"], exact_match=False)
    pdf.set_text_shaping(True)
    pdf.set_auto_page_break(False)
    pdf.add_page()

    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(14, 14, pdf.w - 28, pdf.h - 28)

    def line(
        text: str,
        size: float,
        style: str = "",
        colour: tuple[int, int, int] = INK,
        height: float | None = None,
    ) -> None:
        pdf.set_font("serif", style, size)
        pdf.set_text_color(*colour)
        # multi_cell: a name too long even at 12 points wraps rather than run off the page
        pdf.multi_cell(0, height or size * 0.6, text, align="C", new_x="LMARGIN", new_y="NEXT")

    pdf.set_y(30)
    line(facts.academy.upper(), 13, "B", ACCENT)
    line(facts.course, 11, "", MUTED)
    pdf.ln(10)
    line("Certificate of completion", 30, "B")
    pdf.ln(8)
    line("This certifies that", 13, "", MUTED)
    pdf.ln(4)
    line(facts.name, _fitting(pdf, facts.name, 28, pdf.w - 50), "B", height=24)
    pdf.ln(4)
    line("has completed", 13, "", MUTED)
    line(facts.track, 20, "B", ACCENT, height=14)
    pdf.ln(10)
    line(f"Completed on {_long(facts.completed_on)}  ·  Valid until {_long(facts.expires_on)}", 12)
    pdf.ln(14)
    line(f"Verification code  {facts.code}", 14, "B")
    line(facts.verify_hint, 10, "", MUTED)
    return bytes(pdf.output())
