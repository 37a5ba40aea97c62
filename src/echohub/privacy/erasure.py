"""Erasing an account (PIPEDA, Quebec's Law 25), keeping what accreditors require.

Accreditors ask for five years of attendance and certificates, so those stay,
tied to the account row, which is emptied of everything that names or reaches
the person: email, name, licence number, workplace, password, second factors,
roles. Certificates keep their code, activity, dates, minutes and credits,
under a pseudonym. The profession, setting and province stay on the row (they
name no one, and the reach figures count by them). Everything else goes:
registrations to come (their seats go to the waiting list), the cases they
presented (withdrawn: their text erased), follows, subscriptions, consents,
the emails sent to them, the invitations sent to their address, their
memberships of programs by invitation and what they follow in the discussion
spaces. Their posts stay, de-identified as every post is, under the pseudonym:
a discussion keeps its replies. One thing is kept on purpose: their address stays on
the suppression list, since the law on email (CASL) asks that an unsubscribe
is honoured, and nothing may be sent to it again.
"""

import logging
import secrets

from django.db import transaction
from django.utils import timezone

from echohub.accounts.models import PrivacyConsent, User
from echohub.cases import services as case_services
from echohub.cases.models import Case
from echohub.certificates.models import Certificate
from echohub.community.models import Follow as CommunityFollow
from echohub.library.models import Follow
from echohub.network.models import StaffRole
from echohub.outreach import services as outreach
from echohub.outreach.models import MailAddress, OutboxMessage
from echohub.programs.models import Invitation, ProgramMember, ProgramStaff
from echohub.registration import services as registration_services
from echohub.registration.models import Enrolment, Registration
from echohub.updates.models import Consent, Subscriber

log = logging.getLogger(__name__)

ERASED_NAME = "Erased account"


def pseudonym(person: User) -> str:
    return f"{ERASED_NAME} {person.pk}"


@transaction.atomic
def erase_account(person: User) -> None:
    """Erase `person` as described above; they can never sign in again."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    email = person.email.lower()
    now = timezone.now()
    for enrolment in Enrolment.objects.filter(person=person, status=Enrolment.Status.ACTIVE):
        registration_services.leave(enrolment, by=person)
    for registration in Registration.objects.filter(
        person=person, status__in=Registration.ACTIVE, session__starts_at__gt=now
    ):
        registration_services.cancel(registration, by=person, tell=False)
    for case in Case.objects.filter(presenter=person).exclude(status=Case.Status.WITHDRAWN):
        case_services.withdraw(case, by=person)
    Certificate.objects.filter(person=person).update(
        person_name=pseudonym(person), licence_number=""
    )
    StaffRole.objects.filter(person=person).delete()
    ProgramStaff.objects.filter(person=person).delete()
    Follow.objects.filter(person=person).delete()
    CommunityFollow.objects.filter(person=person).delete()
    Invitation.objects.filter(email=Invitation.address(email)).delete()
    ProgramMember.objects.filter(person=person).delete()
    Subscriber.objects.filter(address__email=email).delete()
    Subscriber.objects.filter(person=person).delete()
    Consent.objects.filter(email__iexact=email).delete()
    PrivacyConsent.objects.filter(person=person).delete()
    OutboxMessage.objects.filter(recipient=person).delete()
    OutboxMessage.objects.filter(to_email__iexact=email).delete()
    address = outreach.mail_address(email)
    if not address.suppressed:
        outreach.unsubscribe(address.token, source="account erased")
    MailAddress.objects.filter(pk=address.pk).update(suppression_source="account erased")
    EmailAddress.objects.filter(user=person).delete()
    Authenticator.objects.filter(user=person).delete()
    person.email = f"erased-{secrets.token_hex(8)}@erased.invalid"
    person.name = pseudonym(person)
    person.licence_number = ""
    person.practice_postal_code = ""
    person.spoke = None
    person.timezone = ""
    person.is_active = False
    person.is_staff = person.is_superuser = person.is_national_admin = False
    person.set_unusable_password()
    person.save()
    log.info("account %s erased", person.pk)
