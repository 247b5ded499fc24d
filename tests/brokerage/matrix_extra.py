"""Brokerage routes added by issue 14, and who may open them (for tests/test_access_matrix)."""

from tests.access_roles import BROKER, REDIRECT

MATRIX = {
    # A platform administrator belongs to no council: sent home with a message.
    "brokerage:merge-people": (lambda: "/brokerage/people/merge/", BROKER | {"platform": REDIRECT}),
}
