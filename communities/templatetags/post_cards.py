"""``{% post_card post %}``: the post's card, rendered once for every reader
(``communities.post_cards``), with this response's CSRF token in its forms."""

from django import template
from django.utils.safestring import SafeString

from communities import post_cards

register = template.Library()


@register.simple_tag(takes_context=True)
def post_card(context: template.Context, post) -> SafeString:
    return post_cards.card(post, context.get("csrf_token"))
