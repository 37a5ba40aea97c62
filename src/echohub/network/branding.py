"""A hub's look: its brand colour made readable, and its logo and signature images checked.

Pages carry no inline style (CSP), so a hub's colour reaches them as a small
stylesheet of its own (`hub_css`), served by `network.views.hub_brand_css`.
The colour a hub picks may be too light for text on white or too dark for
white text; `readable_on_white` darkens it until it reaches WCAG AA (4.5:1)
and `ink_on` picks black or white for text on it, whichever contrasts more
(one of them always reaches 4.5:1).

Images are checked by their content with Pillow, never by name or the
browser's Content-Type: only PNG and JPEG, small enough for a page or a
certificate. SVG is refused: a browser runs the scripts an SVG may hold.
"""

import re
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

HEX_COLOUR = re.compile(r"#[0-9a-f]{6}", re.IGNORECASE)
MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_SIDE = 4000
IMAGE_TYPES = {"PNG": ("image/png", "png"), "JPEG": ("image/jpeg", "jpg")}
AA_CONTRAST = 4.5


def validate_hex_colour(value: str) -> None:
    if not HEX_COLOUR.fullmatch(value):
        raise ValidationError(
            gettext_lazy("Give a colour as # and six hexadecimal digits, such as #0b5c8e."),
            code="colour",
        )


def _luminance(colour: str) -> float:
    """WCAG relative luminance of #rrggbb."""
    channels = []
    for start in (1, 3, 5):
        c = int(colour[start : start + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def ink_on(colour: str) -> str:
    """Black or white, whichever is more readable on the colour."""
    return "#ffffff" if contrast(colour, "#ffffff") >= contrast(colour, "#000000") else "#000000"


def readable_on_white(colour: str) -> str:
    """The colour, darkened step by step until text in it on white reaches WCAG AA."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    current = colour
    while contrast(current, "#ffffff") < AA_CONTRAST:
        red, green, blue = (int(c * 0.9) for c in (red, green, blue))
        current = f"#{red:02x}{green:02x}{blue:02x}"
    return current


def hub_css(colour: str) -> str:
    """The stylesheet that gives a hub's pages its colour (see `.hub-brand` in echohub.css)."""
    return (
        ".hub-brand {\n"
        f"  --hub-colour: {colour};\n"
        f"  --hub-ink: {ink_on(colour)};\n"
        f"  --hub-text: {readable_on_white(colour)};\n"
        "}\n"
    )


@dataclass(frozen=True)
class CheckedImage:
    name: str
    content_type: str


def check_image(upload: UploadedFile, what: str) -> CheckedImage:
    """A random file name and the real type of a PNG or JPEG upload; ValidationError otherwise."""
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1]
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("%(name)s is empty."), code="empty", params={"name": name})
    if size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("%(name)s is too large: %(what)s may be at most 2 MB."),
            code="too_large",
            params={"name": name, "what": what},
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if re.search(rb"<svg[\s>]", head, re.IGNORECASE) or head.lstrip().startswith(b"<?xml"):
        raise ValidationError(
            _("%(name)s is an SVG image, which is not accepted: use a PNG or JPEG image."),
            code="svg",
            params={"name": name},
        )
    found, width, height = _read_image(upload)
    if found not in IMAGE_TYPES:
        raise ValidationError(
            _("%(name)s is not a PNG or JPEG image."), code="wrong_type", params={"name": name}
        )
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE:
        raise ValidationError(
            _("%(name)s is %(width)s × %(height)s pixels; at most 4000 on each side."),
            code="too_wide",
            params={"name": name, "width": width, "height": height},
        )
    content_type, extension = IMAGE_TYPES[found]
    return CheckedImage(f"{secrets.token_hex(8)}.{extension}", content_type)


def _read_image(upload: UploadedFile) -> tuple[str | None, int, int]:
    """The format Pillow reads the whole image as, and its size; (None, 0, 0) if it cannot."""
    try:
        with Image.open(upload) as image:
            found, (width, height) = image.format, image.size
            image.verify()  # reads it through: a truncated or forged file fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None, 0, 0
    finally:
        upload.seek(0)
    return found, width, height
