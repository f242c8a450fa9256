import pytest

from aphub.audit.services import log_access
from aphub.organisations.models import Role
from tests.factories import LocalAuthorityFactory, SchoolFactory, member

pytestmark = pytest.mark.django_db


def test_an_entry_says_who_in_which_role_and_organisation_did_what_to_which_record():
    la = LocalAuthorityFactory(name="Elmbridge Vale Council")
    school = SchoolFactory(local_authority=la, name="Kingsmead School")
    user = member(Role.SCHOOL_STAFF, school)
    entry = log_access(user=user, obj=school, verb="view", path="/schools/7/")
    assert (entry.user_id, entry.user_email, entry.role) == (user.pk, user.email, "school-staff")
    assert entry.organisation.startswith("Kingsmead School")
    assert entry.local_authority_id == la.pk
    assert (entry.object_type, entry.object_id, entry.verb) == ("organisations.School", str(school.pk), "view")
    assert entry.at.utcoffset().total_seconds() == 0


def test_search_words_in_the_query_string_are_never_logged():
    la = LocalAuthorityFactory()
    entry = log_access(user=member(Role.LA_OFFICER, la), obj=la, verb="view", path="/pupils/?name=Jamie+Smith")
    assert entry.path == "/pupils/"
    assert "Jamie" not in str(entry.__dict__)


def test_an_unknown_verb_is_refused():
    la = LocalAuthorityFactory()
    with pytest.raises(ValueError):
        log_access(user=member(Role.LA_OFFICER, la), obj=la, verb="peek")


def test_the_request_id_of_the_request_is_kept(client):
    la = LocalAuthorityFactory()
    user = member(Role.LA_ADMIN, la)
    client.force_login(user)
    response = client.get("/home/", headers={"X-Request-ID": "abc-123"})
    assert response["X-Request-ID"] == "abc-123"
