import pytest

from .page_rules import page_rule_problems

GOOD = """<html><head><title>Sign in – AP Hub</title></head><body>
<h1>Sign in</h1><form method="post" action="/sign-in/"><input type="hidden" name="csrfmiddlewaretoken" value="x">
<input id="a"></form></body></html>"""


def test_a_good_page_passes():
    assert page_rule_problems(GOOD) == []


def test_two_h1s_are_caught():
    assert "exactly one <h1>" in page_rule_problems(GOOD.replace("</h1>", "</h1><h1>Again</h1>"))[0]


def test_a_title_that_does_not_start_with_the_h1_is_caught():
    assert "does not start with the h1" in page_rule_problems(GOOD.replace("<title>Sign in", "<title>Home"))[0]


def test_an_error_title_needs_an_error_summary():
    page = GOOD.replace("<title>Sign in", "<title>Error: Sign in")
    assert page_rule_problems(page) == ["the title says Error: but the page has no error summary"]
    assert page_rule_problems(page.replace("<h1>", '<div class="govuk-error-summary"></div><h1>')) == []


def test_duplicate_ids_are_caught():
    assert "duplicate id" in page_rule_problems(GOOD.replace('<input id="a">', '<input id="a"><p id="a"></p>'))[0]


def test_a_post_form_without_action_or_csrf_is_caught():
    problems = page_rule_problems(GOOD.replace(' action="/sign-in/"', "").replace('name="csrfmiddlewaretoken"', ""))
    assert any("no action" in p for p in problems) and any("csrfmiddlewaretoken" in p for p in problems)


def test_the_check_runs_on_every_page_the_test_client_renders(client, settings):
    settings.ROOT_URLCONF = "tests.organisations.errors_urlconf"
    with pytest.raises(pytest.fail.Exception, match="GOV.UK page rules broken by GET /bad-page/"):
        client.get("/bad-page/")
