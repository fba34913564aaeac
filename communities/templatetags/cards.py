"""``{{ post.card|card_when }}``: an event card's time in the reader's language."""

from django import template

from communities import cards

register = template.Library()

register.filter("card_when", cards.card_when)
