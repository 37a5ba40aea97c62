"""Bounce messages and providers' webhooks, read; hard bounces suppressed by the command."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from echohub.outreach.bounces import Bounce, NotABounce, parse_dsn, parse_provider_event
from echohub.outreach.models import MailAddress

SAMPLES = Path(__file__).parent / "samples"


def test_a_postfix_bounce_is_hard_with_its_status() -> None:
    [bounce] = parse_dsn((SAMPLES / "postfix-hard.eml").read_bytes())
    assert bounce.email == "gone.nurse@example.org"
    assert bounce.hard
    assert bounce.status == "5.1.1"
    assert bounce.diagnostic.startswith("smtp; 550 5.1.1")


def test_a_report_on_several_recipients_keeps_failures_and_delays_only() -> None:
    found = parse_dsn((SAMPLES / "exchange-mixed.eml").read_bytes())
    assert found == [
        Bounce("busy@example.com", False, "4.4.1", "smtp; 421 4.4.1 Connection timed out"),
        Bounce(
            "nobody@example.com",
            True,
            "5.0.0",
            "smtp; 550 5.2.1 The email account that you tried to reach is disabled",
        ),
    ]


def test_a_status_only_in_the_diagnostic_is_read_there() -> None:
    raw = (SAMPLES / "postfix-hard.eml").read_bytes().replace(b"Status: 5.1.1\r\n", b"")
    [bounce] = parse_dsn(raw)
    assert bounce.status == "5.1.1"
    assert bounce.hard


def test_an_auto_reply_is_not_a_bounce() -> None:
    with pytest.raises(NotABounce, match="delivery-status"):
        parse_dsn((SAMPLES / "out-of-office.eml").read_bytes())


SES_BOUNCE = {
    "notificationType": "Bounce",
    "bounce": {
        "bounceType": "Permanent",
        "bouncedRecipients": [
            {
                "emailAddress": "Gone@Example.org",
                "status": "5.1.1",
                "diagnosticCode": "smtp; 550 5.1.1 user unknown",
            }
        ],
    },
    "mail": {"messageId": "x"},
}


def test_amazon_ses_directly_and_through_sns() -> None:
    expected = [Bounce("gone@example.org", True, "5.1.1", "smtp; 550 5.1.1 user unknown")]
    assert parse_provider_event(SES_BOUNCE) == expected
    wrapped = {"Type": "Notification", "Message": json.dumps(SES_BOUNCE)}
    assert parse_provider_event(wrapped) == expected
    transient = {**SES_BOUNCE, "bounce": {**SES_BOUNCE["bounce"], "bounceType": "Transient"}}
    assert parse_provider_event(transient)[0].hard is False


def test_an_ses_complaint_is_not_a_bounce() -> None:
    with pytest.raises(NotABounce, match="Complaint"):
        parse_provider_event({"notificationType": "Complaint", "complaint": {}})


def test_postmark_mailgun_and_sendgrid() -> None:
    postmark = {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "Email": "a@example.org",
        "Description": "The server was unable to deliver",
        "Details": "550 5.1.1 unknown",
    }
    assert parse_provider_event(postmark) == [
        Bounce("a@example.org", True, "5.1.1", "550 5.1.1 unknown")
    ]
    assert parse_provider_event({**postmark, "Type": "SoftBounce"})[0].hard is False
    mailgun = {
        "event-data": {
            "event": "failed",
            "severity": "permanent",
            "recipient": "b@example.org",
            "delivery-status": {"code": 550, "description": "No such user"},
        }
    }
    assert parse_provider_event(mailgun) == [Bounce("b@example.org", True, "5.0.0", "No such user")]
    sendgrid = [
        {"event": "delivered", "email": "fine@example.org"},
        {"event": "bounce", "type": "bounce", "email": "c@example.org", "status": "5.1.1",
         "reason": "550 5.1.1 unknown"},
        {"event": "bounce", "type": "blocked", "email": "d@example.org", "status": "4.0.0",
         "reason": "greylisted"},
    ]  # fmt: skip
    assert parse_provider_event(sendgrid) == [
        Bounce("c@example.org", True, "5.1.1", "550 5.1.1 unknown"),
        Bounce("d@example.org", False, "4.0.0", "greylisted"),
    ]


def test_an_unknown_shape_says_which_are_understood() -> None:
    with pytest.raises(NotABounce, match="Postmark"):
        parse_provider_event({"hello": "world"})


@pytest.mark.django_db
def test_the_command_suppresses_hard_bounces_only(tmp_path: Path) -> None:
    webhook = tmp_path / "ses.json"
    webhook.write_text(json.dumps(SES_BOUNCE))
    out, err = StringIO(), StringIO()
    call_command(
        "record_bounces",
        str(SAMPLES / "exchange-mixed.eml"),
        str(SAMPLES / "out-of-office.eml"),
        str(webhook),
        stdout=out,
        stderr=err,
    )
    suppressed = set(
        MailAddress.objects.filter(suppressed="bounced").values_list("email", flat=True)
    )
    assert suppressed == {"nobody@example.com", "gone@example.org"}
    assert not MailAddress.objects.filter(email="busy@example.com").exists()
    assert "2 address(es) suppressed" in out.getvalue()
    assert "a temporary failure (4.4.1), left alone" in out.getvalue()
    assert "out-of-office.eml: skipped" in err.getvalue()
    # Cron output goes to logs: addresses are named by their row, never spelt out.
    assert "@" not in out.getvalue()
