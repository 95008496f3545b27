from django import template

from regio import formatting

register = template.Library()


@register.filter
def bedrag(value):
    """{{ amount|bedrag }} → € 1.234,56"""
    return formatting.format_amount(value)


@register.filter
def negatief(value):
    """{{ amount|negatief|bedrag }} → € -12,00: money that went out (a positive amount with its direction)."""
    return -value if value not in (None, "") else value


@register.filter
def datum(value):
    """{{ date|datum }} → 22-11-2026"""
    return formatting.format_date(value)


@register.filter
def datumtijd(value):
    return formatting.format_datetime(value)


@register.filter
def getal(value, decimals=2):
    return formatting.format_number(value, decimals=int(decimals))


@register.simple_tag(takes_context=True)
def page_url(context, number, name="pagina"):
    """``?…&pagina=N`` keeping the page's other query parameters (filters survive paging; issue 10)."""
    query = context["request"].GET.copy()
    query[name] = number
    return "?" + query.urlencode()


@register.filter
def cel(value, kind):
    """A dashboard cell by its column's kind (regio.dashboards.Kind): money € 1.234,56, a date 22-11-2026, a
    percentage 12,07 %, a count 1.234 (hours keep their decimals); empty for None."""
    if value is None or value == "":
        return "–"
    if kind == "money":
        return formatting.format_amount(value)
    if kind == "date":
        return formatting.format_date(value)
    if kind == "percent":
        return f"{formatting.format_number(value, decimals=2)} %"
    if kind == "count":
        return formatting.format_number(value, decimals=0 if isinstance(value, int) else 2)
    return value


@register.filter
def index(sequence, position):
    """{{ list|index:2 }}: the item at a position (the dashboard tables pair each cell with its column)."""
    return sequence[position]
