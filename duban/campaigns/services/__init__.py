"""Campaign use-cases: setting a campaign up (`setup`), photos (`photos`) and reports (`reports`)."""
