"""Browser tests: the real dashboard server (waitress) on the Kobe dataset, driven by Playwright on Chromium."""
