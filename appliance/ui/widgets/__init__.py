"""Reusable widgets for the appliance's pages."""
