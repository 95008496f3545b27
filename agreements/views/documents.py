"""Uploading and downloading an agreement's documents (issue #4)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from agreements.documents import add_document, max_bytes
from agreements.models import (
    Agreement,
    Document,
    DocumentKind,
)
from regio.tenancy import CHANGE, VIEW, TenantViewMixin, can, get_for_user_or_404, scope_of


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=300)
    kind = forms.ChoiceField(label=_("Soort"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("Bestand (PDF)"), help_text=_("Alleen PDF, hoogstens 10 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise ValidationError(_("Het bestand is te groot: hoogstens %(mb)s MB.") % {"mb": max_bytes() // 2**20})
        return upload


class DocumentUploadView(TenantViewMixin, FormView):
    """The coordinating staff add a signed PDF or annex; each upload with the same title is a new version."""

    model = Agreement
    template_name = "agreements/document_upload.html"
    form_class = DocumentForm

    def dispatch(self, request, *args, **kwargs):
        if not scope_of(request.user).authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.agreement = get_for_user_or_404(
            Agreement.objects.visible_to(request.user), request.user, VIEW, code=kwargs["code"]
        )
        if not can(request.user, CHANGE, self.agreement):
            raise PermissionDenied(_("Alleen de coördinerende gemeente voegt documenten toe."))
        return super().dispatch(request, *args, **kwargs)

    def permission_target(self):
        return self.agreement

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subject=self.agreement, back_url=reverse("agreement-detail", args=[self.agreement.code]), **kwargs
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            document = add_document(
                user=self.request.user,
                agreement=self.agreement,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                name=upload.name,
                content=upload.read(),
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
            return self.form_invalid(form)
        messages.success(self.request, _("%(doc)s is opgeslagen.") % {"doc": document})
        return redirect("agreement-detail", code=self.agreement.code)


class DocumentDownloadView(TenantViewMixin, View):
    """Private media: only who may see the document's region gets the file. Other apps' documents with a ``file``
    and an ``original_name`` (inkoop's) are served by this view with their own ``model``."""

    model = Document

    def get(self, request, pk: int):
        document = get_for_user_or_404(self.model.objects.visible_to(request.user), request.user, VIEW, pk=pk)
        try:
            with document.file.open("rb") as fh:
                content = fh.read()
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = HttpResponse(content, content_type="application/pdf")
        safe = "".join(c for c in document.original_name if c.isalnum() or c in " ._-") or "document.pdf"
        response["Content-Disposition"] = f'attachment; filename="{safe}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response
