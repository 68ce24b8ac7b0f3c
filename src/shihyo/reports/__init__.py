"""The annual report in each format: one folder per format, all rendering `shihyo.core.report.Report`."""
