"""Every write to the ledger goes through these modules; each writes ItemEvent rows and sends
notifications only after the transaction commits."""
