"""The certificate PDF, read back as text and looked at as an image: every fact is there, an
Urdu name is shaped (joined letters, right to left) in the Nastaliq font, and a long name stays
on the page."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pypdf
import pypdfium2
from PIL import Image

from course.certificates import document

FACTS = document.Facts(
    academy="Civil Services Academy",
    course="Service, Not Spectacle",
    name="Ayesha Rahman",
    track="Probationer course",
    completed_on=date(2026, 6, 30),
    expires_on=date(2027, 6, 30),
    code="7KQ4-M2XD-9F0B-TR6W",
    verify_hint="Check it on the course's Verify a certificate page.",
)
URDU = "عائشہ رحمان صدیقی"


def image(data: bytes) -> Image.Image:
    return pypdfium2.PdfDocument(data)[0].render(scale=1).to_pil().convert("L")


def ink(picture: Image.Image, top: float, bottom: float) -> tuple[int, int] | None:
    """The left and right edges of the dark pixels in a band (fractions of the page height)."""
    band = picture.crop(
        (60, int(picture.height * top), picture.width - 60, int(picture.height * bottom))
    )
    box = band.point(lambda v: 255 if v < 128 else 0).getbbox()
    return None if box is None else (box[0], box[2])


def fonts(data: bytes) -> set[str]:
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    return {str(f["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}


def test_every_fact_reads_back_as_text() -> None:
    text = pypdf.PdfReader(io.BytesIO(document.render(FACTS))).pages[0].extract_text()
    for fact in (
        "CIVIL SERVICES ACADEMY",
        "Certificate of completion",
        "Ayesha Rahman",
        "Probationer course",
        "Completed on 30 June 2026",
        "Valid until 30 June 2027",
        "7KQ4-M2XD-9F0B-TR6W",
    ):
        assert fact in text


def test_it_looks_like_a_certificate() -> None:
    picture = image(document.render(FACTS))
    assert picture.width > picture.height  # landscape
    name = ink(picture, 0.40, 0.55)
    assert name is not None
    middle = (name[0] + name[1]) / 2
    assert abs(middle - (picture.width - 120) / 2) < 10  # centred
    assert ink(picture, 0.84, 0.92) is not None  # the verification code


def test_an_urdu_name_is_shaped_in_nastaliq() -> None:
    shaped = document.render(replace(FACTS, name=URDU))
    assert any("NotoNastaliqUrdu" in f for f in fonts(shaped))
    picture = image(shaped)
    name = ink(picture, 0.40, 0.55)
    assert name is not None and name[1] - name[0] > 150  # drawn, not blank or a few boxes
    # shaped, the letters join and the name is far narrower than the same letters in their
    # isolated forms (kept apart by zero-width non-joiners), which is what no shaping draws
    apart = ink(image(document.render(replace(FACTS, name="\u200c".join(URDU)))), 0.40, 0.55)
    assert apart is not None
    assert name[1] - name[0] < 0.75 * (apart[1] - apart[0])
    # right to left: the last word is drawn leftmost, so it is read back first
    text = pypdf.PdfReader(io.BytesIO(shaped)).pages[0].extract_text()
    assert text.index("ص") < text.index("ر") < text.index("ع")


def test_a_long_name_stays_on_the_page() -> None:
    long_name = "Muhammad Abdul Rehman Khan Yousafzai Chaudhry Siddiqui Qureshi Baloch"
    data = document.render(replace(FACTS, name=long_name))
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert long_name in text.replace("\n", " ")
    name = ink(image(data), 0.40, 0.55)
    assert name is not None and name[0] > 0 and name[1] < image(data).width - 120
