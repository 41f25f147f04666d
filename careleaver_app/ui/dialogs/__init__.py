"""Dialogs that edit records: each validates in the services and shows problems by the field."""
