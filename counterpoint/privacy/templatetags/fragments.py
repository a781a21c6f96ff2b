"""``{% keep name app... %}...{% endkeep %}``: a block kept until the apps it reads change.

``name`` tells blocks apart (a string, or a variable: the home page's cards are kept by their
template's name); each further argument is an app label, or a list of them. The block sees only
the request, the user and the CSRF token (``counterpoint.privacy.fragments``), and its own name
as ``block_name`` (``{% keep card.template card.reads %}{% include block_name %}{% endkeep %}``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe

from counterpoint.privacy.fragments import kept_block

register = template.Library()


class KeepNode(template.Node):
    def __init__(self, name: FilterExpression, apps: list[FilterExpression], nodelist: NodeList):
        self.name, self.apps, self.nodelist = name, apps, nodelist

    def render(self, context: template.Context) -> SafeString:
        request = context.get("request")
        name = str(self.name.resolve(context))
        names: list[str] = []
        for expression in self.apps:
            value = expression.resolve(context)
            names.extend([value] if isinstance(value, str) else _strings(value))
        own = context.new(
            {
                "request": request,
                "user": context.get("user"),
                "csrf_token": context.get("csrf_token"),
                "block_name": name,
            }
        )
        if request is None:  # rendered outside a request (an email): nothing to keep it by
            return mark_safe(self.nodelist.render(own))
        html = kept_block(
            request, name, tuple(sorted(set(names))), lambda: self.nodelist.render(own)
        )
        return mark_safe(html)


def _strings(value: Any) -> list[str]:
    if not isinstance(value, Iterable):
        raise template.TemplateSyntaxError(f"{{% keep %}} wants app labels, not {value!r}")
    return [str(v) for v in value]


@register.tag
def keep(parser: Parser, token: Token) -> KeepNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% keep %} needs a name, then the apps it reads")
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    return KeepNode(
        parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]], nodelist
    )
