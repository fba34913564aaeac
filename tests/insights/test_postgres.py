"""On PostgreSQL (scaled out): the same hand-built organisation, the same figures.
Local days (TruncDate in TIME_ZONE), bitmaps read back from bytea and the grouped
counts are the database's to get right."""

from __future__ import annotations

import pytest

from tests.insights import test_figures as embedded
from tests.insights.test_figures import days_from, org  # noqa: F401 - the fixtures

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

test_funnel = embedded.test_the_organisations_funnel_matches_what_happened
test_plain_numbers = embedded.test_the_seven_day_funnel_in_plain_numbers
test_department = embedded.test_a_departments_funnel_counts_its_own_people
test_group = embedded.test_a_groups_funnel_counts_its_members_wherever_they_were_active
test_weeks = embedded.test_weekly_active_people_and_posts_over_twelve_weeks
test_groups = embedded.test_groups_show_posts_quiet_first_replies_and_waiting_posts
test_median = embedded.test_the_median_first_reply_over_several_posts
test_news = embedded.test_news_shows_reach_among_the_groups_members_and_only_what_the_coach_may_see
test_page_use = embedded.test_page_use_counts_openings_per_page_and_what_nobody_opened
test_terms = embedded.test_terms_that_found_nothing_apart_from_terms_nobody_opened
test_gaps = (
    embedded.test_a_term_becomes_a_page_to_write_at_the_threshold_and_is_done_when_a_page_is_opened
)
test_roll_up_twice = embedded.test_rolling_up_twice_stores_the_same_days
