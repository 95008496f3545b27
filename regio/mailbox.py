"""Verzonden e-mails: the demo's outbox, readable in the browser (issue 11, demo output).

With no e-mail settings the embedded demo uses Django's file-based backend (``regio/settings.py``): every message
goes into a file under ``EMAIL_FILE_PATH`` instead of onto the console, where the PDFs of the invoices and cost
overviews used to print as some 1.750 lines of base64 before the logins. These pages let the demo's administrator
read what was sent: a paginated list (newest first) and one message with its text and the names of its attachments.

They exist only while the file backend is in use (404 otherwise, so a production installation with SMTP has no
such page) and only for administrators (the functional administrator, or a superuser): the outbox holds mail to
people of every municipality of the installation, which in the demo is fictitious.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View

from regio.tenancy import scope_of

FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
# Django's file backend writes each message followed by a line of 79 dashes; one file per connection.
SEPARATOR = b"\n" + b"-" * 79 + b"\n"
FILE_NAME = re.compile(r"^[\w.-]+\.log$")
PER_PAGE = 25


def enabled() -> bool:
    return settings.EMAIL_BACKEND == FILE_BACKEND and bool(getattr(settings, "EMAIL_FILE_PATH", ""))


def may_read(user) -> bool:
    if user.is_superuser:
        return True
    # Mail to every municipality's people: the installation's operator only, not a municipality's administrator.
    return scope_of(user).is_platform_admin


@dataclass
class Attachment:
    name: str
    content_type: str
    size: int


@dataclass
class Message:
    file: str
    index: int
    subject: str
    sender: str
    to: str
    sent: datetime | None
    body: str = ""
    attachments: list[Attachment] = field(default_factory=list)


def _folder() -> Path:
    return Path(settings.EMAIL_FILE_PATH)


def _files() -> list[Path]:
    folder = _folder()
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.is_file() and FILE_NAME.match(p.name)]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def _chunks(file: Path) -> list[bytes]:
    return [c for c in file.read_bytes().split(SEPARATOR) if c.strip()]


def _aware(sent: datetime | None) -> datetime | None:
    """Django writes the Date header in UTC as "-0000" (RFC 5322: zone unknown), which parses naive: it is UTC."""
    if sent is not None and sent.tzinfo is None:
        return sent.replace(tzinfo=UTC)
    return sent


def _message(file: Path, index: int, raw: bytes, *, full: bool) -> Message:
    parsed = BytesParser(policy=policy.default).parsebytes(raw, headersonly=not full)
    message = Message(
        file=file.name,
        index=index,
        subject=str(parsed.get("Subject", "")),
        sender=str(parsed.get("From", "")),
        to=str(parsed.get("To", "")),
        sent=_aware(getattr(parsed.get("Date"), "datetime", None)),
    )
    if full:
        body = parsed.get_body(preferencelist=("plain", "html"))
        message.body = body.get_content() if body is not None else ""
        for part in parsed.iter_attachments():
            payload = part.get_payload(decode=True) or b""
            name = part.get_filename() or _("(zonder naam)")
            message.attachments.append(Attachment(name=name, content_type=part.get_content_type(), size=len(payload)))
    return message


def messages() -> list[Message]:
    """Every message in the outbox, newest file first, in the order written within a file (headers only)."""
    out = []
    for file in _files():
        out += [_message(file, i, raw, full=False) for i, raw in enumerate(_chunks(file))]
    return out


def message(file_name: str, index: int) -> Message:
    """One message, with its text and attachments; only a file that the listing would show (no path from input)."""
    file = next((f for f in _files() if f.name == file_name), None)
    if file is None:
        raise Http404(_("Dit bericht bestaat niet."))
    chunks = _chunks(file)
    if not 0 <= index < len(chunks):
        raise Http404(_("Dit bericht bestaat niet."))
    return _message(file, index, chunks[index], full=True)


class MailboxMixin:
    def dispatch(self, request, *args, **kwargs):
        if not enabled():
            raise Http404(_("Er worden geen e-mails in bestanden bewaard."))
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may_read(request.user):
            raise PermissionDenied(_("Deze pagina is voor de platformbeheerder."))
        return super().dispatch(request, *args, **kwargs)


class MailboxListView(MailboxMixin, View):
    def get(self, request):
        page = Paginator(messages(), PER_PAGE).get_page(request.GET.get("page"))
        return render(
            request, "regio/mailbox_list.html", {"page_obj": page, "folder": _folder(), "paginator": page.paginator}
        )


class MailboxMessageView(MailboxMixin, View):
    def get(self, request, file, index):
        return render(request, "regio/mailbox_message.html", {"message": message(file, index)})


urlpatterns = [
    path("", MailboxListView.as_view(), name="mailbox"),
    path("<str:file>/<int:index>/", MailboxMessageView.as_view(), name="mailbox-message"),
]
