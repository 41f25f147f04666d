"""New young person / edit details."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit

from careleaver_app.domain.people import PersonDetails
from careleaver_app.services.dto import PersonRecord
from careleaver_app.ui.dialogs.form import CallbackForm, date_edit


class PersonDialog(CallbackForm):
    def __init__(
        self,
        submit: Callable[[PersonDetails], Any],
        today: date,
        record: PersonRecord | None = None,
        parent=None,
    ) -> None:
        title = self.tr("Edit details") if record else self.tr("New young person")
        super().__init__(title, submit, parent)
        self.reference = QLineEdit(self)
        self.first_name = QLineEdit(self)
        self.last_name = QLineEdit(self)
        self.preferred_name = QLineEdit(self)
        self.date_of_birth = date_edit(
            self,
            record.date_of_birth if record else date(today.year - 17, 1, 1),
            self.tr("Date of birth"),
        )
        self.gender = QLineEdit(self)
        self.first_language = QLineEdit(self)
        self.interpreter = QCheckBox(self.tr("Needs an interpreter"), self)
        self.uasc = QCheckBox(self.tr("Unaccompanied asylum-seeking"), self)
        self.parenting = QCheckBox(self.tr("Pregnant or parenting"), self)
        self.phone = QLineEdit(self)
        self.email = QLineEdit(self)
        self.address = QPlainTextEdit(self)
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(60)
        self.housing_needs = _text_box(self)
        self.ethnicity = QLineEdit(self)
        self.religion = QLineEdit(self)
        self.immigration = QLineEdit(self)
        self.health = _text_box(self)
        self.consent = QCheckBox(self.tr("Agrees to share with housing"), self)
        self.support = QCheckBox(self.tr("Asked for PA support to 25"), self)
        for key, label, widget in (
            ("reference", self.tr("&Reference:"), self.reference),
            ("first_name", self.tr("&First name:"), self.first_name),
            ("last_name", self.tr("&Last name:"), self.last_name),
            ("preferred_name", self.tr("&Preferred name:"), self.preferred_name),
            ("date_of_birth", self.tr("Date of &birth:"), self.date_of_birth),
            ("gender", self.tr("&Gender:"), self.gender),
            ("first_language", self.tr("First lan&guage:"), self.first_language),
            ("interpreter_needed", "", self.interpreter),
            ("uasc", "", self.uasc),
            ("pregnant_or_parenting", "", self.parenting),
            ("phone", self.tr("P&hone:"), self.phone),
            ("email", self.tr("E&mail:"), self.email),
            ("contact_address", self.tr("&Address:"), self.address),
            ("housing_consent", "", self.consent),
            ("housing_support_needs", self.tr("Housing &support needs:"), self.housing_needs),
            ("requested_pa_support", "", self.support),
            ("ethnicity", self.tr("E&thnicity:"), self.ethnicity),
            ("religion", self.tr("Rel&igion:"), self.religion),
            ("immigration_status", self.tr("Immigration stat&us:"), self.immigration),
            ("health_needs", self.tr("Health &needs:"), self.health),
        ):
            self.add_field(key, label, widget)
        if record is not None:
            self._load(record)
        self._dirty = False

    def _load(self, r: PersonRecord) -> None:
        self.reference.setText(r.reference)
        self.first_name.setText(r.first_name)
        self.last_name.setText(r.last_name)
        self.preferred_name.setText(r.preferred_name)
        self.gender.setText(r.gender)
        self.first_language.setText(r.first_language)
        self.interpreter.setChecked(r.interpreter_needed)
        self.uasc.setChecked(r.uasc)
        self.parenting.setChecked(r.pregnant_or_parenting)
        self.phone.setText(r.phone)
        self.email.setText(r.email)
        self.address.setPlainText(r.contact_address)
        self.consent.setChecked(r.housing_consent)
        self.support.setChecked(r.requested_pa_support)
        self.housing_needs.setPlainText(r.housing_support_needs)
        self.ethnicity.setText(r.ethnicity)
        self.religion.setText(r.religion)
        self.immigration.setText(r.immigration_status)
        self.health.setPlainText(r.health_needs)
        self._detained = r.detained_or_in_hospital_on_16th_birthday

    def collect(self) -> PersonDetails:
        return PersonDetails(
            reference=self.reference.text().strip(),
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            preferred_name=self.preferred_name.text(),
            date_of_birth=self.date_of_birth.date().toPython(),
            gender=self.gender.text().strip(),
            first_language=self.first_language.text().strip(),
            interpreter_needed=self.interpreter.isChecked(),
            uasc=self.uasc.isChecked(),
            pregnant_or_parenting=self.parenting.isChecked(),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            contact_address=self.address.toPlainText().strip(),
            housing_consent=self.consent.isChecked(),
            requested_pa_support=self.support.isChecked(),
            detained_or_in_hospital_on_16th_birthday=getattr(self, "_detained", False),
            housing_support_needs=self.housing_needs.toPlainText().strip(),
            ethnicity=self.ethnicity.text().strip(),
            religion=self.religion.text().strip(),
            immigration_status=self.immigration.text().strip(),
            health_needs=self.health.toPlainText().strip(),
        )


def _text_box(parent) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setTabChangesFocus(True)
    box.setFixedHeight(48)
    return box
