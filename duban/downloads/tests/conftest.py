from duban.ledger.tests.conftest import ledger, make_item  # noqa: F401 - the ledger's items to export
