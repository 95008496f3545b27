"""Every list pages (issue 10, finding 4: Beek's notices page listed 2.251 rows at once).

Page views set ``paginate_by`` (ListView) or call ``paginate``; templates include ``includes/pagination.html`` with
``page`` (and the parameter ``name``), which keeps the page's other query parameters. A page number that is not a
number or lies beyond the end shows the first or the last page, never an error. The API pages through DRF's
``DEFAULT_PAGINATION_CLASS`` (settings.REST_FRAMEWORK).
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator

PAGE_PARAMETER = "pagina"


def page_size() -> int:
    return int(getattr(settings, "PAGE_SIZE", 50))


def paginate(request, queryset, *, per_page: int | None = None) -> Page:
    """The requested page of ``queryset`` (``?pagina=N``), ``PAGE_SIZE`` rows each unless told otherwise."""
    return Paginator(queryset, per_page or page_size()).get_page(request.GET.get(PAGE_PARAMETER))


def paginate_named(request, queryset, parameter: str, *, per_page: int | None = None) -> Page:
    """``paginate`` under a parameter of its own, for a page that shows more than one list."""
    return Paginator(queryset, per_page or page_size()).get_page(request.GET.get(parameter))


class PaginatedListMixin:
    """For ListViews: pages of ``PAGE_SIZE`` under ``?pagina=N``; an unreadable number shows the first page."""

    page_kwarg = PAGE_PARAMETER

    def get_paginate_by(self, queryset):
        return getattr(self, "paginate_by", None) or page_size()

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, orphans=self.get_paginate_orphans())
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()
