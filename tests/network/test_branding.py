"""A hub's logo, colour and contact: edited by its admins, shown on its pages."""

import io
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from echohub.network.branding import contrast, ink_on, readable_on_white
from echohub.network.models import Hub
from tests.conftest import Network, client_for
from tests.programs.test_public_views import text


def png(width: int = 40, height: int = 20, colour: str = "#0b5c8e") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 30), "#aa3300").save(out, "JPEG")
    return out.getvalue()


def hub_form(hub: Hub, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name_en": hub.name_en,
        "name_fr": hub.name_fr,
        "scope": hub.scope,
        "website": hub.website,
        "contact_email": hub.contact_email,
    }
    data.update(changes)
    return data


def edit_url(hub: Hub) -> str:
    return reverse("network:hub_edit", kwargs={"slug": hub.slug})


def test_hub_page_shows_logo_colour_contact_and_website(network: Network) -> None:
    client = client_for(network.hub_admin)
    response = client.post(
        edit_url(network.hub),
        hub_form(
            network.hub,
            logo_upload=SimpleUploadedFile("Ontario logo.png", png(), content_type="image/png"),
            brand_colour="#FFCC00",
            contact_email="echo@ontario-hub.example.ca",
            phone="+1 416 555 0100",
            website="https://ontario-hub.example.ca",
            mailing_address="200 Elizabeth St\nToronto ON",
        ),
    )
    assert response.status_code == 302
    hub = Hub.objects.get(pk=network.hub.pk)
    assert hub.brand_colour == "#ffcc00"
    assert hub.logo.name.endswith(".png")

    page = client_for(None).get(reverse("programs:hub", kwargs={"slug": "ontario"}))
    html = page.content.decode()
    assert f'<img class="hub-logo" src="{hub.logo_url()}" alt="Logo of Ontario Hub">' in html
    assert f'<link rel="stylesheet" href="{hub.brand_css_url()}">' in html
    words = text(page)
    for shown in (
        "Contact the hub",
        "Email echo@ontario-hub.example.ca",
        "Phone +1 416 555 0100",
        "Website https://ontario-hub.example.ca",
        "Mailing address 200 Elizabeth St Toronto ON",
    ):
        assert shown in words
    assert 'href="tel:+14165550100"' in html

    logo = client_for(None).get(hub.logo_url())
    assert logo["Content-Type"] == "image/png"
    assert logo["Cache-Control"] == "public, max-age=31536000, immutable"
    assert logo["X-Content-Type-Options"] == "nosniff"
    assert b"".join(logo.streaming_content) == png()  # type: ignore[attr-defined]

    css = client_for(None).get(hub.brand_css_url()).content.decode()
    assert "--hub-colour: #ffcc00;" in css
    assert "--hub-ink: #000000;" in css  # black reads better on yellow
    text_colour = re.search(r"--hub-text: (#[0-9a-f]{6});", css)
    assert text_colour
    assert contrast(text_colour.group(1), "#ffffff") >= 4.5

    program = client_for(None).get(reverse("programs:program", kwargs={"slug": "psw-series"}))
    program_html = program.content.decode()
    assert f'<img class="hub-logo-small" src="{hub.logo_url()}" alt="">' in program_html
    assert f'<link rel="stylesheet" href="{hub.brand_css_url()}">' in program_html


def test_a_new_logo_replaces_the_old_and_its_old_address_is_gone(
    network: Network, committed: Callable[[], AbstractContextManager[Any]]
) -> None:
    client = client_for(network.hub_admin)
    client.post(
        edit_url(network.hub),
        hub_form(network.hub, logo_upload=SimpleUploadedFile("a.png", png())),
    )
    first = Hub.objects.get(pk=network.hub.pk)
    with committed():  # the old file is deleted once the change is committed
        client.post(
            edit_url(network.hub), hub_form(first, logo_upload=SimpleUploadedFile("b.jpg", jpeg()))
        )
    second = Hub.objects.get(pk=network.hub.pk)
    assert second.logo.name.endswith(".jpg")
    assert client_for(None).get(second.logo_url())["Content-Type"] == "image/jpeg"
    assert client_for(None).get(first.logo_url()).status_code == 404
    assert not first.logo.storage.exists(first.logo.name)
    client.post(edit_url(network.hub), hub_form(second, remove_logo="on"))
    assert not Hub.objects.get(pk=network.hub.pk).logo
    assert (
        "hub-logo"
        not in client_for(None)
        .get(reverse("programs:hub", kwargs={"slug": "ontario"}))
        .content.decode()
    )


def test_the_admin_of_another_hub_cannot_change_its_branding(network: Network) -> None:
    client = client_for(network.other_admin)
    assert client.get(edit_url(network.hub)).status_code == 404
    response = client.post(
        edit_url(network.hub),
        hub_form(network.hub, brand_colour="#ff0000", phone="555", signatory_name="Intruder"),
    )
    assert response.status_code == 404
    hub = Hub.objects.get(pk=network.hub.pk)
    assert (hub.brand_colour, hub.phone, hub.signatory_name) == ("", "", "")


def test_a_file_that_is_not_an_image_is_refused_with_a_clear_message(network: Network) -> None:
    response = client_for(network.hub_admin).post(
        edit_url(network.hub),
        hub_form(
            network.hub,
            logo_upload=SimpleUploadedFile("logo.png", b"%PDF-1.4\n%%EOF\n", "image/png"),
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["logo_upload"] == [
        "logo.png is not a PNG or JPEG image."
    ]
    assert not Hub.objects.get(pk=network.hub.pk).logo


def test_an_svg_logo_is_refused(network: Network) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = client_for(network.hub_admin).post(
        edit_url(network.hub),
        hub_form(
            network.hub,
            signature_upload=SimpleUploadedFile("signature.png", svg, "image/png"),
            logo_upload=SimpleUploadedFile("logo.svg", svg, "image/svg+xml"),
        ),
    )
    errors = response.context["form"].errors
    assert errors["logo_upload"] == [
        "logo.svg is an SVG image, which is not accepted: use a PNG or JPEG image."
    ]
    assert errors["signature_upload"] == [
        "signature.png is an SVG image, which is not accepted: use a PNG or JPEG image."
    ]
    hub = Hub.objects.get(pk=network.hub.pk)
    assert not hub.logo
    assert not hub.signature


def test_a_colour_must_be_a_hex_code(network: Network) -> None:
    response = client_for(network.hub_admin).post(
        edit_url(network.hub), hub_form(network.hub, brand_colour="blue")
    )
    assert response.context["form"].errors["brand_colour"] == [
        "Give a colour as # and six hexadecimal digits, such as #0b5c8e."
    ]


def test_colours_keep_aa_contrast_for_text() -> None:
    for colour in ("#ffff00", "#ffffff", "#7fdbff", "#0b5c8e", "#000000", "#777777"):
        assert contrast(readable_on_white(colour), "#ffffff") >= 4.5
        assert contrast(ink_on(colour), colour) >= 4.5
    assert readable_on_white("#0b5c8e") == "#0b5c8e"  # already readable: unchanged


def test_a_missing_logo_or_colour_is_a_404(network: Network) -> None:
    client = client_for(None)
    assert client.get(reverse("network:hub_css", kwargs={"slug": "ontario"})).status_code == 404
    logo = reverse("network:hub_logo", kwargs={"slug": "ontario", "name": "x.png"})
    assert client.get(logo).status_code == 404


def test_an_upper_case_colour_is_kept_in_lower_case(network: Network) -> None:
    hub = network.hub
    hub.brand_colour = "#0B5C8E"
    hub.full_clean()
    assert hub.brand_colour == "#0b5c8e"
