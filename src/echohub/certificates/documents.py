"""Certificates and transcripts as PDF, drawn with reportlab.

A certificate is one Letter page (Canada) in its holder's language, or in
English and French one after the other when the program runs in both and the
holder reads French. It states who, the activity, the hub, the dates, the
minutes, each credit line with its body, number, the accreditation statement
exactly as entered, and its expiry, the provider's contact, and the
verification code with a QR code to the public page that checks it.

Text is set in DejaVu Sans (shipped in `fonts/`, its licence beside it), which
covers French, most European names and part of the Canadian Aboriginal
syllabics; output is byte-for-byte reproducible (`invariant`), which the tests
rely on.
"""

import datetime as dt
import io
import itertools
import logging
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from reportlab.graphics.barcode import qrencoder
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from echohub.bilingual import pick
from echohub.certificates.models import Certificate
from echohub.certificates.transcript import Transcript

log = logging.getLogger(__name__)

FONTS = Path(__file__).parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"
if REGULAR not in pdfmetrics.getRegisteredFontNames():
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONTS / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD)

INK = colors.HexColor("#16324a")
ACCENT = colors.HexColor("#2a6f97")

LABELS = {
    "en": {
        "title": "Certificate of attendance",
        "certifies": "This certifies that",
        "attended": "attended",
        "hub": "Offered by",
        "dates": "Date",
        "minutes": "Minutes attended",
        "credits": "Credits",
        "number": "Accreditation number",
        "expires": "Accreditation valid until",
        "contact": "Contact",
        "code": "Verification code",
        "verify": "Check this certificate at",
        "licence": "Licence number",
        "revoked": "REVOKED",
        "issued": "Issued",
        "transcript": "Transcript of continuing professional development",
        "activity": "Activity",
        "totals": "Credits by year and type",
        "year": "Year",
        "type": "Credit type",
        "generated": "Produced on",
    },
    "fr": {
        "title": "Attestation de participation",
        "certifies": "La présente atteste que",
        "attended": "a participé à",
        "hub": "Offert par",
        "dates": "Date",
        "minutes": "Minutes de participation",
        "credits": "Crédits",
        "number": "Numéro d’agrément",
        "expires": "Agrément valide jusqu’au",
        "contact": "Contact",
        "code": "Code de vérification",
        "verify": "Vérifier cette attestation à l’adresse",
        "licence": "Numéro de permis",
        "revoked": "RÉVOQUÉE",
        "issued": "Délivrée le",
        "transcript": "Relevé de développement professionnel continu",
        "activity": "Activité",
        "totals": "Crédits par année et par type",
        "year": "Année",
        "type": "Type de crédit",
        "generated": "Produit le",
    },
}
MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}


def format_day(day: dt.date, lang: str) -> str:
    month = MONTHS[lang].split()[day.month - 1]
    if lang == "fr":
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    return f"{month} {day.day}, {day.year}"


def format_amount(amount: Decimal, lang: str) -> str:
    text = f"{amount.normalize():f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "fr" else text


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=REGULAR, fontSize=10, leading=13, textColor=INK)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "title": ParagraphStyle(
            "title", parent=base, fontName=BOLD, fontSize=22, leading=26, textColor=ACCENT
        ),
        "name": ParagraphStyle("name", parent=base, fontName=BOLD, fontSize=18, leading=22),
        "activity": ParagraphStyle("activity", parent=base, fontName=BOLD, fontSize=13, leading=16),
        "head": ParagraphStyle("head", parent=base, fontName=BOLD),
        "small_head": ParagraphStyle(
            "small_head", parent=base, fontName=BOLD, fontSize=8, leading=10
        ),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


class _Qr(Flowable):
    """A QR code of `value`, `size` wide, drawn as one path of dark runs.

    reportlab's QrCodeWidget encodes twice, tries every mask and draws one shape per
    run, which took four fifths of a certificate's time; this encodes once with one
    mask and fills one path.
    """

    BORDER = 2  # modules of quiet zone on each side
    MASK = 2  # vertical stripes every third column: no large blocks, well read by phones

    def __init__(self, value: str, size: float) -> None:
        super().__init__()
        self.value, self.size = value, size
        self.width = self.height = size

    def draw(self) -> None:
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(self.value)
        code.version = code.calculate_version()
        # Any of the eight masks decodes; scoring all eight to pick the "best" was
        # half of a certificate's time, so one fixed mask is used.
        code.makeImpl(False, self.MASK)
        count = code.getModuleCount()
        box = self.size / (count + 2 * self.BORDER)
        path = self.canv.beginPath()
        for r, row in enumerate(code.modules):
            c = 0
            for dark, run in itertools.groupby(bool(m) for m in row):
                length = len(list(run))
                if dark:
                    x = (c + self.BORDER) * box
                    y = self.size - (r + self.BORDER + 1) * box
                    path.rect(x, y, length * box, box)
                c += length
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(path, stroke=0, fill=1)


def verify_url(certificate: Certificate, lang: str) -> str:
    with translation.override("fr" if lang == "fr" else "en"):
        path = reverse("certificates:verify", kwargs={"code": certificate.code})
    return settings.SITE_URL.rstrip("/") + path


def _certificate_part(
    certificate: Certificate, lang: str, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    labels = LABELS[lang]
    activity = (certificate.activity_fr if lang == "fr" else certificate.activity_en) or (
        certificate.activity_en or certificate.activity_fr
    )
    hub = (certificate.hub_fr if lang == "fr" else certificate.hub_en) or certificate.hub_en
    days = [dt.date.fromisoformat(day) for day in certificate.days]
    parts: list[Flowable] = [
        _p(labels["title"], styles["title"]),
        Spacer(1, 6 * mm),
        _p(labels["certifies"], styles["base"]),
        Spacer(1, 2 * mm),
        _p(certificate.person_name, styles["name"]),
    ]
    if certificate.licence_number:
        parts.append(
            _p(
                f"{labels['licence']} : {certificate.licence_number}"
                if lang == "fr"
                else f"{labels['licence']}: {certificate.licence_number}",
                styles["base"],
            )
        )
    parts += [
        Spacer(1, 2 * mm),
        _p(labels["attended"], styles["base"]),
        _p(activity, styles["activity"]),
        Spacer(1, 3 * mm),
    ]
    sep = " : " if lang == "fr" else ": "
    facts = [
        (labels["hub"], hub),
        (labels["dates"], ", ".join(format_day(day, lang) for day in days)),
        (labels["minutes"], str(certificate.minutes)),
    ]
    if certificate.contact:
        facts.append((labels["contact"], certificate.contact))
    for label, value in facts:
        parts.append(_p(f"{label}{sep}{value}", styles["base"]))
    for line in certificate.credits:
        type_label = line["label_fr"] if lang == "fr" else line["label_en"]
        statement = (line["statement_fr"] if lang == "fr" else line["statement_en"]) or (
            line["statement_en"] or line["statement_fr"]
        )
        amount = format_amount(Decimal(line["amount"]), lang)
        block = [
            Spacer(1, 3 * mm),
            _p(f"{labels['credits']}{sep}{amount} — {type_label}", styles["head"]),
            _p(line["body"], styles["base"]),
        ]
        if line.get("number"):
            block.append(_p(f"{labels['number']}{sep}{line['number']}", styles["base"]))
        if line.get("expires"):
            expires = format_day(dt.date.fromisoformat(line["expires"]), lang)
            block.append(_p(f"{labels['expires']}{sep}{expires}", styles["base"]))
        block.append(_p(statement, styles["small"]))
        parts.append(KeepTogether(block))
    url = verify_url(certificate, lang)
    issued = format_day(certificate.issued_at.date(), lang)
    code_block = Table(
        [
            [
                _Qr(url, 28 * mm),
                [
                    _p(f"{labels['code']}{sep}{certificate.code}", styles["head"]),
                    _p(f"{labels['verify']}{sep}{url}", styles["small"]),
                    _p(f"{labels['issued']}{sep}{issued}", styles["small"]),
                ],
            ]
        ],
        colWidths=[32 * mm, None],
    )
    code_block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    parts += [Spacer(1, 6 * mm), code_block]
    return parts


def _with_hub_branding(
    certificate: Certificate, lang: str, styles: dict[str, ParagraphStyle], part: list[Flowable]
) -> list[Flowable]:
    """The hub's logo above a certificate part, its signatory's signature, name and title below.

    Read from the hub when the PDF is drawn (not copied when issued, unlike the rest):
    a hub that changes its logo or signatory changes it on every certificate it gives.
    The images are embedded as stored, so the same hub gives the same bytes.
    """
    hub = certificate.program.hub
    top: list[Flowable] = []
    logo = _hub_image(hub.logo, 55 * mm, 20 * mm)
    if logo is not None:
        logo.hAlign = "LEFT"
        top = [logo, Spacer(1, 4 * mm)]
    if not hub.signatory_name:
        return top + part
    title = pick({"en": hub.signatory_title_en, "fr": hub.signatory_title_fr}, lang)
    block: list[Flowable] = [Spacer(1, 8 * mm)]
    signature = _hub_image(hub.signature, 50 * mm, 16 * mm)
    if signature is not None:
        signature.hAlign = "LEFT"
        block.append(signature)
    block.append(_p(hub.signatory_name, styles["head"]))
    if title:
        block.append(_p(title, styles["base"]))
    return [*top, *part, KeepTogether(block)]


def _hub_image(field: Any, max_width: float, max_height: float) -> Image | None:
    """A stored PNG or JPEG, scaled to fit the box and keep its shape; None without a file."""
    if not field:
        return None
    try:
        with field.open("rb") as stored:
            data = stored.read()
    except OSError:  # a file lost from storage must not keep anyone from their certificate
        log.warning("hub image %s is missing from storage", field.name)
        return None
    reader = ImageReader(io.BytesIO(data))
    width, height = reader.getSize()
    scale = min(max_width / width, max_height / height)
    return Image(io.BytesIO(data), width=width * scale, height=height * scale)


def _stamp_revoked(certificate: Certificate) -> Callable[[Any, Any], None]:
    """Draws REVOKED across a revoked certificate's page (reportlab's page callback)."""

    def stamp(canvas: Any, _doc: Any) -> None:
        if certificate.is_revoked:
            canvas.saveState()
            canvas.setFillColor(colors.HexColor("#b42318"))
            canvas.setFont(BOLD, 54)
            canvas.translate(LETTER[0] / 2, LETTER[1] / 2)
            canvas.rotate(30)
            canvas.drawCentredString(0, 0, f"{LABELS['en']['revoked']} / {LABELS['fr']['revoked']}")
            canvas.restoreState()

    return stamp


def certificate_pdf(certificate: Certificate) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=LETTER,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=15 * mm,
        title=f"{certificate.code}",
        author="EchoHub",
        invariant=1,
    )
    styles = _styles()
    languages = ["en", "fr"] if certificate.language == "both" else [certificate.language]
    story: list[Flowable] = []
    for index, lang in enumerate(languages):
        if index:
            story.append(Spacer(1, 8 * mm))
        story += _with_hub_branding(
            certificate, lang, styles, _certificate_part(certificate, lang, styles)
        )
    stamp = _stamp_revoked(certificate)
    doc.build(story, onFirstPage=stamp, onLaterPages=stamp)
    return out.getvalue()


def transcript_pdf(transcript: Transcript, lang: str) -> bytes:
    labels = LABELS["fr" if lang == "fr" else "en"]
    styles = _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=LETTER, leftMargin=15 * mm, rightMargin=15 * mm, invariant=1, author="EchoHub"
    )
    person = transcript.person
    story: list[Flowable] = [
        _p(labels["transcript"], styles["title"]),
        Spacer(1, 4 * mm),
        _p(person.name or person.email, styles["name"]),
    ]
    if person.licence_number:
        sep = "\u00a0: " if lang == "fr" else ": "
        story.append(_p(f"{labels['licence']}{sep}{person.licence_number}", styles["base"]))
    story.append(_p(f"{labels['generated']} {format_day(dt.date.today(), lang)}", styles["small"]))  # noqa: DTZ011
    story.append(Spacer(1, 5 * mm))
    if transcript.totals:
        story.append(_p(labels["totals"], styles["head"]))
        totals = [
            [
                _p(labels["year"], styles["head"]),
                _p(labels["type"], styles["head"]),
                _p(labels["credits"], styles["head"]),
            ]
        ]
        totals += [
            [str(year), _p(label, styles["base"]), format_amount(amount, lang)]
            for year, label, amount in transcript.totals
        ]
        table = Table(totals, colWidths=[20 * mm, None, 25 * mm], repeatRows=1)
        table.setStyle(_grid())
        story += [table, Spacer(1, 6 * mm)]
    heads = (labels["dates"], labels["activity"], labels["minutes"], labels["credits"])
    rows = [[_p(h, styles["small_head"]) for h in heads]]
    for row in transcript.rows:
        credits = "; ".join(
            f"{format_amount(amount, lang)} {label}" for label, amount in row.credits
        )
        rows.append(
            [
                row.day.isoformat(),
                _p(f"{row.activity}\n{row.hub}", styles["small"]),
                str(row.minutes),
                _p(credits or "—", styles["small"]),
            ]
        )
    # The narrow columns are as wide as their widest word, so a header wraps between
    # words ("Minutes / de / participation"), never inside one ("Minute s atten ded").
    dates_width = _column_width([labels["dates"], "0000-00-00"])
    minutes_width = _column_width([labels["minutes"], "00000"])
    table = Table(rows, colWidths=[dates_width, None, minutes_width, 50 * mm], repeatRows=1)
    table.setStyle(_grid())
    story.append(table)
    doc.build(story)
    return out.getvalue()


CELL_PADDING = 6  # points on each side: reportlab's default LEFTPADDING and RIGHTPADDING


def _column_width(texts: list[str], size: float = 8) -> float:
    """Wide enough for the widest word of `texts` set in bold at `size` points."""
    widest = max(pdfmetrics.stringWidth(word, BOLD, size) for t in texts for word in t.split())
    return widest + 2 * CELL_PADDING + 1


def _grid() -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#c8d3dc")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef3")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
