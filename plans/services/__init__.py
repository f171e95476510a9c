"""Writes of the plans app, one module per noun: plan, report_card, newsletter, delivery."""
