"""The reform office's pages, by subject; `duban.reforms.urls` maps them."""
