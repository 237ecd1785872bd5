"""Campaign use-cases: setting a campaign up (`setup`), photos (`photos`), submitting reports
(`submitting`), the report loop (`reports`), re-routing (`rerouting`), and what the report services
share (`common`)."""
