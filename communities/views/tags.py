"""Tag pages: every post with a #tag that the viewer may see, live."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from communities import queries
from communities.views.feeds import feed_page, live_url, newer_posts


def tag_name_or_404(raw: str) -> str:
    name = queries.tag_name(raw)
    if name is None:
        raise Http404("not a tag")
    return name


@vary_on_headers("HX-Request")
def tag_detail(request: HttpRequest, name: str) -> HttpResponse:
    name = tag_name_or_404(name)
    return feed_page(
        request,
        "communities/tag.html",
        queries.tag_posts(request.user, name),
        {
            "tag": name,
            "following": name in queries.follows_of(request.user).tags,
            "alerts_on": queries.tells_of_new_posts(request.user, tag=name),
        },
        live_url=live_url("live_tag", name),
        newer_url=reverse("tag_newer", args=[name]),
    )


@require_GET
def tag_newer(request: HttpRequest, name: str) -> HttpResponse:
    return newer_posts(request, queries.tag_posts(request.user, tag_name_or_404(name)))
