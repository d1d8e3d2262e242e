"""The timeline's period: by default the year up to the latest entry (the axis reaches the last
entries), chosen with from/to, zoomed (year, 6 months, 3 months, month) and moved earlier or later
with links."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from chronology.timeline import TimeScale, TimeWindow

D = dt.date


def test_default_window_is_the_year_up_to_the_month_of_the_latest_entry():
    window = TimeWindow.choose(date_from=None, date_to=None, latest=D(2026, 9, 14), today=D(2026, 6, 1))
    assert (window.start, window.end) == (D(2025, 10, 1), D(2026, 9, 30))
    assert window.months == 12 and window.length_label == "1 year"


def test_default_window_without_entries_ends_with_this_month():
    window = TimeWindow.choose(date_from=None, date_to=None, latest=None, today=D(2026, 6, 1))
    assert window.end == D(2026, 6, 30)


def test_axis_reaches_the_last_day_and_labels_the_last_month():
    scale = TimeScale(TimeWindow(D(2025, 10, 1), D(2026, 9, 30)))
    assert scale.left < scale.x_of(D(2026, 9, 30)) < scale.right
    ticks = scale.ticks()
    assert ticks[-1][1] == "Sep 2026" or any(label == "Jul 2026" for _, label in ticks)
    assert max(x for x, _ in ticks) <= scale.right
    assert len(ticks) <= 14


def test_month_window_has_weekly_ticks():
    ticks = TimeScale(TimeWindow(D(2026, 3, 1), D(2026, 3, 31))).ticks()
    assert [label for _, label in ticks] == ["2 Mar", "9 Mar", "16 Mar", "23 Mar", "30 Mar"]


def test_zoom_keeps_the_last_month_and_shift_moves_by_the_window():
    year = TimeWindow.months_ending(D(2026, 9, 14), 12)
    quarter = year.zoomed(3)
    assert (quarter.start, quarter.end) == (D(2026, 7, 1), D(2026, 9, 30))
    earlier = quarter.shifted(-1)
    assert (earlier.start, earlier.end) == (D(2026, 4, 1), D(2026, 6, 30))
    later = TimeWindow.months_ending(D(2026, 2, 1), 1).shifted(+1)
    assert (later.start, later.end) == (D(2026, 3, 1), D(2026, 3, 31))
    days = TimeWindow(D(2026, 3, 3), D(2026, 3, 12)).shifted(+1)
    assert (days.start, days.end) == (D(2026, 3, 13), D(2026, 3, 22))


def test_windows_at_the_ends_of_the_calendar_have_no_neighbour_and_few_ticks():
    whole = TimeWindow(D.min, D.max)
    assert whole.shifted(-1) is None and whole.shifted(+1) is None
    assert len(TimeScale(whole).ticks()) <= 14
    assert TimeWindow(D(1, 1, 1), D(1, 1, 10)).shifted(-1) is None


@pytest.mark.django_db
class TestTimelinePage:
    @pytest.fixture
    def entries(self, make_entry, users, frozen_today):
        return {
            "old": make_entry(occurred_on=D(2025, 2, 10), summary="Old visit"),
            "spring": make_entry(occurred_on=D(2026, 4, 20), summary="Spring visit"),
            "latest": make_entry(
                occurred_on=D(2026, 5, 30), summary="Latest visit", significance="high", action="Referred"
            ),
        }

    def test_default_page_draws_the_latest_entry_inside_the_axis(self, web_as, case, users, entries):
        body = web_as(users.sw).get(f"/cases/{case.pk}/chronology/timeline/").content.decode()
        assert "Showing 1 July 2025 to 30 June 2026 (1 year)" in body  # up to today (1 June 2026)
        assert "Latest visit" in body and "Spring visit" in body and "Old visit" not in body
        axis_end = float(
            re.search(r'<line x1="([\d.]+)" y1="24" x2="\1" y2="\d+" class="app-timeline-tick"/>', body)[1]
        )
        latest = float(re.search(r'<polygon points="([\d.]+),', body)[1])
        assert latest < axis_end

    def test_zoom_links_choose_the_period(self, web_as, case, users, entries):
        client = web_as(users.sw)
        body = client.get(f"/cases/{case.pk}/chronology/timeline/").content.decode()
        zoom = re.compile(r'<a href="([^"]+)" class="govuk-button[^"]*"[^>]*>(Year|6 months|3 months|Month)</a>')
        links = {label: html.unescape(href) for href, label in zoom.findall(body)}
        assert list(links) == ["Year", "6 months", "3 months", "Month"]
        assert "date_from=2026-06-01" in links["Month"] and "date_to=2026-06-30" in links["Month"]
        zoomed = client.get(f"/cases/{case.pk}/chronology/timeline/{links['3 months']}").content.decode()
        assert "Showing 1 April 2026 to 30 June 2026 (3 months)" in zoomed
        assert "Latest visit" in zoomed and "Spring visit" in zoomed and "Old visit" not in zoomed
        assert re.search(r'aria-current="true">3 months</a>', zoomed)
        month = client.get(f"/cases/{case.pk}/chronology/timeline/{links['Month']}").content.decode()
        earlier = html.unescape(re.search(r'href="([^"]+)" rel="prev"', month)[1])
        may = client.get(f"/cases/{case.pk}/chronology/timeline/{earlier}").content.decode()
        assert "Showing 1 May 2026 to 31 May 2026 (1 month)" in may
        assert "Latest visit" in may and "Spring visit" not in may

    def test_previous_link_shows_the_period_before(self, web_as, case, users, entries):
        client = web_as(users.sw)
        body = client.get(f"/cases/{case.pk}/chronology/timeline/").content.decode()
        previous = html.unescape(
            re.search(r'<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="prev"', body)[1]
        )
        earlier = client.get(f"/cases/{case.pk}/chronology/timeline/{previous}").content.decode()
        assert "Showing 1 July 2024 to 30 June 2025 (1 year)" in earlier
        assert "Old visit" in earlier and "Latest visit" not in earlier

    def test_from_and_to_choose_any_period_and_links_keep_other_filters(self, web_as, case, users, entries):
        url = f"/cases/{case.pk}/chronology/timeline/?date_from=2026-04-01&date_to=2026-04-30&significance=medium"
        body = web_as(users.sw).get(url).content.decode()
        assert "Showing 1 April 2026 to 30 April 2026 (1 month)" in body
        assert "Spring visit" in body and "Latest visit" not in body
        assert "significance=medium" in html.unescape(re.search(r'href="([^"]+)" rel="next"', body)[1])

    def test_a_period_of_thousands_of_years_is_drawn_not_a_server_error(self, web_as, case, users, entries):
        url = f"/cases/{case.pk}/chronology/timeline/?date_from=0001-01-01&date_to=9999-12-31"
        response = web_as(users.sw).get(url)
        assert response.status_code == 200
        assert "Old visit" in response.content.decode()

    def test_no_later_link_past_today_and_the_latest_entry(self, web_as, case, users, entries):
        client = web_as(users.sw)
        body = client.get(f"/cases/{case.pk}/chronology/timeline/").content.decode()
        assert 'rel="next"' not in body and 'rel="prev"' in body
