"""Routes added by issue 14 under home, and who may open them (for tests/test_access_matrix)."""

from tests.access_roles import ANY

MATRIX = {
    "home:glossary": (lambda: "/glossary/", ANY),
}
