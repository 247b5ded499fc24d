"""The care homes pages: thin views over care_homes.selectors and care_homes.services."""
