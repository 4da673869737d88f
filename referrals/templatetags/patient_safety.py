"""The safety alert include's one filter: a category code read as people say it."""

from django import template

from referrals.selectors import alert_category_label

register = template.Library()


@register.filter
def alert_label(category: str) -> str:
    return alert_category_label(category)
